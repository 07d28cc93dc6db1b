import { promises as fsp } from 'node:fs';
import * as nodePath from 'node:path';
import { decodeUtf8 } from '../engine/index';

/**
 * Reads the file named by `--config`, for `msol check` and the report
 * commands alike. Only a regular file is read (a FIFO or a device would block
 * forever); it must be UTF-8. Returns the text without a BOM, or the reason it
 * cannot be used, worded for `msol: --config: …`.
 */
export async function readConfigFile(
  config: string,
  cwd: string,
): Promise<{ readonly absolute: string; readonly text: string } | { readonly error: string }> {
  const absolute = nodePath.resolve(cwd, config);
  let bytes: Uint8Array;
  try {
    const st = await fsp.stat(absolute);
    if (!st.isFile())
      throw Object.assign(new Error('not a regular file'), { code: st.isDirectory() ? 'EISDIR' : 'ENOTREG' });
    bytes = await fsp.readFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      error: `--config: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, expected a file' : code === 'ENOTREG' ? 'not a regular file' : 'cannot read the file'}: ${config}`,
    };
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return { error: `--config: ${config}: ${decoded.reason}` };
  return { absolute, text: decoded.text.replace(/^\uFEFF/, '') };
}
