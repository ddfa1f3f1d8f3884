// Tests fake the Tauri side of IPC here, so the real `ipc` module runs in them unchanged.
export { emit } from '@tauri-apps/api/event';
export { clearMocks, mockIPC, mockWindows } from '@tauri-apps/api/mocks';
