/**
 * Where the checkout is, for the code that builds things from source on first use (the web
 * page, the worker programs). It runs from src/main/host through tsx, or from out/cli as the
 * bundled command line in out/cli/<stamp> (bin/sitereport builds it), which defines __SITEREPORT_CLI_BUNDLE__.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __SITEREPORT_CLI_BUNDLE__: boolean | undefined;

const here = path.dirname(fileURLToPath(import.meta.url));

export const IS_CLI_BUNDLE = typeof __SITEREPORT_CLI_BUNDLE__ !== 'undefined' && __SITEREPORT_CLI_BUNDLE__;

/** The repository root (the folder holding src/ and out/). */
export const REPO_ROOT = path.resolve(here, '../../..'); // src/main/host, or out/cli/<stamp>
