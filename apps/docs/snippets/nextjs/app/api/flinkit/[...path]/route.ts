// app/api/flinkit/[...path]/route.ts: every /api/flinkit/* request goes to the proxy.
import { flinkit } from '../../../../lib/flinkit';

export const GET = flinkit.fetch;
export const POST = flinkit.fetch;
export const DELETE = flinkit.fetch;
// The proxy needs Node (node:crypto, the database driver), and its answers are never static.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
