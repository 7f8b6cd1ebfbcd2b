// Files from a drop: plain files, and folders walked recursively (Chromium, Firefox and Safari
// all expose webkitGetAsEntry on dropped items). Hidden files such as .DS_Store are skipped;
// everything else goes to the server, which names the reason for anything it rejects.

export interface PickedFile {
  file: File;
  /** Path inside the dropped folder, for showing where a file came from. */
  path: string;
}

function hidden(name: string): boolean {
  return name.startsWith('.') || name === 'Thumbs.db' || name === 'desktop.ini';
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const entries: FileSystemEntry[] = [];
  // readEntries answers in batches (100 in Chromium) until it returns an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return entries;
    entries.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, into: PickedFile[]): Promise<void> {
  if (hidden(entry.name)) return;
  if (entry.isFile) {
    into.push({ file: await entryFile(entry as FileSystemFileEntry), path: entry.fullPath.replace(/^\//, '') });
  } else if (entry.isDirectory) {
    for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) await walk(child, into);
  }
}

export async function filesFromDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  // Entries must be taken synchronously: the DataTransfer is emptied after the event returns.
  const entries = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => ({ entry: item.webkitGetAsEntry?.() ?? null, file: item.getAsFile() }));
  const picked: PickedFile[] = [];
  for (const { entry, file } of entries) {
    if (entry) await walk(entry, picked);
    else if (file && !hidden(file.name)) picked.push({ file, path: file.name });
  }
  if (picked.length === 0) return filesFromList(transfer.files);
  return picked;
}

export function filesFromList(files: FileList | File[]): PickedFile[] {
  return [...files]
    .filter((file) => !hidden(file.name))
    .map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}
