import { toNextHandlers } from '@flinkit/proxy';
import { createExampleFlinkit } from '../../../../lib/flinkit';

// better-sqlite3 (the default store) and pg are Node.js modules.
export const runtime = 'nodejs';

export const { GET, POST, DELETE, OPTIONS } = toNextHandlers(createExampleFlinkit);
