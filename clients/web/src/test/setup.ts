import { cleanup } from '@testing-library/react';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// jsdom has no layout: a ResizeObserver that never fires is enough for the grid to render.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;

// Apollo prints its warnings as codes and links unless the messages are loaded: load them, so a
// test's output says what went wrong.
loadDevMessages();
loadErrorMessages();
