// Entry of a search worker thread (started by boot.js): the searcher of
// searchWorker.ts, answering the coordinator through the thread's port.
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './protocol.ts';
import { searchWorker } from './searchWorker.ts';

const port = parentPort;
if (port === null) throw new Error('worker.ts runs in a worker thread');
const handle = searchWorker((m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer));
port.on('message', (m: ToWorker) => handle(m));
