// Start-up time and memory of the release app beside a bare Tauri 2 window, for
// `cargo xtask bench` (which starts Xvfb and tauri-driver and reads the `STARTUP` lines).
//
// The apps take turns, so a busy core favours neither. Before each launch the kernel's page cache
// is dropped when this runs as root, so every start is cold: binaries, libraries and WebKit's
// files come from disk. Each launch is timed from asking tauri-driver for a session (which starts
// the app) until its first screen can be used; then, once the page has settled, the resident
// memory of the app and of every process it started (WebKit's web and network processes) is
// added up.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { remote } from 'webdriverio';

const required = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through \`cargo xtask bench\``);
  return value;
};

const apps = [
  { name: 'onramp', path: required('ONRAMP_APP'), ready: 'button=New request' },
  { name: 'bare', path: required('BARE_APP'), ready: 'button=Ready' },
];
const launches = Number(process.env.STARTUP_LAUNCHES ?? '7');
const settleMs = 2_000;

/** pid → parent pid, for every process there is. */
function parents() {
  const map = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the fields follow its last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(Number(entry), ppid);
    } catch {
      // It ended while we looked.
    }
  }
  return map;
}

function exe(pid) {
  try {
    return realpathSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

function residentKb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The app's process and all its descendants, by pid. */
function processTree(appPath) {
  const map = parents();
  const wanted = realpathSync(appPath);
  const roots = [...map.keys()].filter((pid) => exe(pid) === wanted);
  if (roots.length !== 1) throw new Error(`expected one running ${appPath}, found ${roots.length}`);
  const tree = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of map) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

/** Empties the page cache; false when this process may not. */
function dropCaches() {
  try {
    execFileSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

async function launch(app) {
  const cold = dropCaches();
  const started = performance.now();
  const browser = await remote({
    hostname: '127.0.0.1',
    port: Number(required('TAURI_DRIVER_PORT')),
    logLevel: 'error',
    capabilities: {
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application: app.path },
    },
  });
  try {
    // Polled every 10 ms: WebdriverIO's default of 100 ms would round each start up by as much.
    await browser.$(app.ready).waitForClickable({ timeout: 30_000, interval: 10 });
    const startMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const pids = processTree(app.path);
    const rssMb = pids.reduce((sum, pid) => sum + residentKb(pid), 0) / 1024;
    return { startMs, rssMb, processes: pids.length, cold };
  } finally {
    await browser.deleteSession();
  }
}

const results = Object.fromEntries(apps.map((app) => [app.name, []]));
// One launch each first, unmeasured: the first session also starts WebKitWebDriver's own
// caches, which would count against whichever app went first.
for (const app of apps) await launch(app);
for (let i = 0; i < launches; i++) {
  for (const app of apps) {
    const result = await launch(app);
    results[app.name].push(result);
    console.error(
      `${app.name}: ${result.startMs.toFixed(0)} ms${result.cold ? ' (cold)' : ''}, ` +
        `${result.rssMb.toFixed(0)} MB in ${result.processes} processes`,
    );
  }
}
for (const [name, runs] of Object.entries(results)) {
  console.log(`STARTUP ${JSON.stringify({ name, runs })}`);
}
