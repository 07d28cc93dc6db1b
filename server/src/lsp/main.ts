/**
 * Entry point of the bundled language server (server/out/server.js).
 * The transport comes from the command line: --stdio, --node-ipc or --socket=N.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { ConnectionLogger, errorData, logLevelFromEnv } from './logging';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
const logger = new ConnectionLogger(connection, logLevelFromEnv(process.env['MSOL_LOG_LEVEL']));

// A bug anywhere (a timer, a stray promise) is logged; the server keeps serving the other features.
process.on('uncaughtException', (error) => logger.log('error', 'uncaught exception', errorData(error)));
process.on('unhandledRejection', (reason) => logger.log('error', 'unhandled promise rejection', errorData(reason)));

startServer(connection, logger);
connection.listen();
