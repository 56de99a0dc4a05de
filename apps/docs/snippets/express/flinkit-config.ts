// The same settings as the Next.js page shows (one file, tested once).
export { flinkitConfig } from '../nextjs/lib/flinkit-config';
