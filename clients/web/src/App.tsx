import { useQuery } from '@apollo/client';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AlbumPage, AlbumsPage } from './albums/AlbumsPage';
import { AuthPage } from './auth/AuthPage';
import auth from './auth/auth.graphql';
import { Layout } from './components/Layout';
import { Notice, Spinner } from './components/ui';
import { PeoplePage } from './people/PeoplePage';
import { PersonPage } from './person/PersonPage';
import { PhotoPage } from './photo/PhotoPage';
import { PhotosPage } from './photos/PhotosPage';
import { LibraryStatusProvider } from './upload/libraryStatus';
import { UploadPage } from './upload/UploadPage';

interface SessionData {
  setupRequired: boolean;
  me: { id: string; username: string } | null;
}

export function App() {
  // errorPolicy all: an anonymous `me` may come back as an error next to setupRequired.
  const { data, loading, error } = useQuery<SessionData>(auth.Session, { errorPolicy: 'all', fetchPolicy: 'network-only' });
  if (loading && !data) return <Spinner />;
  if (!data) return <Notice tone="error">Cannot reach the server: {error?.message}</Notice>;
  if (data.setupRequired) return <AuthPage firstRun />;
  if (!data.me) return <AuthPage firstRun={false} />;
  return (
    <LibraryStatusProvider>
      <Layout username={data.me.username}>
        <Routes>
          <Route path="/" element={<Navigate to="/photos" replace />} />
          <Route path="/photos" element={<PhotosPage />} />
          <Route path="/photos/:id" element={<PhotoPage />} />
          <Route path="/people" element={<PeoplePage />} />
          <Route path="/people/:id" element={<PersonPage />} />
          <Route path="/albums" element={<AlbumsPage />} />
          <Route path="/albums/:id" element={<AlbumPage />} />
          <Route path="/upload" element={<UploadPage />} />
          <Route path="*" element={<Notice>Nothing here. Try the photos.</Notice>} />
        </Routes>
      </Layout>
    </LibraryStatusProvider>
  );
}
