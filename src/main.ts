// Entry point of the server process (`node dist/main.js` in production).
import { serve } from './serve.ts';

await serve(process.env);
