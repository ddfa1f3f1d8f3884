// WebdriverIO against tauri-driver, which `cargo xtask test` starts per spec file (see
// xtask/src/e2e.rs) with a fresh ONRAMP_DATA_DIR and a virtual display.
const required = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests through \`cargo xtask test\``);
  return value;
};

export const config = {
  runner: 'local',
  hostname: '127.0.0.1',
  port: Number(required('TAURI_DRIVER_PORT')),
  specs: ['./specs/**/*.e2e.js'],
  maxInstances: 1,
  capabilities: [
    {
      // WebKitWebDriver refuses WebDriver BiDi session requests.
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application: required('ONRAMP_APP') },
    },
  ],
  logLevel: 'warn',
  waitforTimeout: 10_000,
  connectionRetryCount: 1,
  framework: 'mocha',
  reporters: ['spec'],
  mochaOpts: { ui: 'bdd', timeout: 120_000 },
};
