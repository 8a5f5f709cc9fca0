// Lets a benchmark run alone as `node scripts/bench/<name>.bench.mjs`: the
// project's TypeScript (which Node's type stripping does not all accept)
// loads through tsx, as under `npm run bench` (node --import tsx). Import it
// first: modules evaluate in import order.
import { register } from 'tsx/esm/api';

register();
