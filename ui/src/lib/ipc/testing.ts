// Tests fake the Tauri side of IPC here, so the real `ipc` module runs in them unchanged.
export { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
