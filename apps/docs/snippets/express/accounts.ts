// The same stand-in storage as the Next.js snippet.
export { saveAccounts, saved } from '../nextjs/lib/accounts';
