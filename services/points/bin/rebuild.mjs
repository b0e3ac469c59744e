#!/usr/bin/env node
// Recomputes every MED Points balance from the ledger and prints the report (see README "Rebuild").
// Needs the built service (`npm run build -w @agora/points`) and the service's environment.
import { runRebuild } from '../dist/admin/rebuild-command.js';

process.exitCode = await runRebuild();
