/** `npm start`: the platform of platform.config.ts — API, websocket and shell on one port. */
import { run } from '../core/src/main.ts';

run();
