import { cleanup } from '@testing-library/svelte';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// The screens the app loads when first opened are loaded here once, so a test waits for what
// it exercises, not for the test runner to prepare a module.
await Promise.all([
  import('$lib/screens/NewRequest.svelte'),
  import('$lib/screens/Settings.svelte'),
  import('$lib/screens/Wizard.svelte'),
  import('@tauri-apps/api/webview'),
  import('@tauri-apps/api/window'),
]);
