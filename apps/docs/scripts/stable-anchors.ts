/**
 * The sections of `DESIGN.md` and `FLINKS.md`, notes kept outside the repository, with the page
 * and anchor that hold their content now (`architecture.md`, `flinks.md`): the way from an old
 * citation to its page. READMEs and code comments in the repository cite the page and anchor
 * directly (`apps/docs/architecture.md#store`); `test/repository-references.test.ts` checks
 * those, and that nothing outside this site names the notes again. The link check fails the
 * build when one of these anchors disappears.
 */
export const STABLE_ANCHORS: Readonly<Record<string, string>> = {
  'DESIGN.md §1': '/architecture#the-flow',
  'DESIGN.md §2': '/architecture#packages',
  'DESIGN.md §2.1': '/architecture#browser-core',
  'DESIGN.md §2.2': '/architecture#react-binding',
  'DESIGN.md §2.3': '/architecture#script-tag-widget',
  'DESIGN.md §2.4': '/architecture#proxy',
  'DESIGN.md §2.5': '/architecture#simulator',
  'DESIGN.md §3': '/architecture#proxy-http-api',
  'DESIGN.md §4': '/architecture#retrieval-engine',
  'DESIGN.md §5': '/architecture#store',
  'DESIGN.md §6': '/architecture#configuration',
  'DESIGN.md §7': '/architecture#budgets',
  'FLINKS.md (sources)': '/flinks#sources',
  'FLINKS.md §1': '/flinks#end-to-end-flow',
  'FLINKS.md §2': '/flinks#flinks-connect-the-iframe',
  'FLINKS.md §2.1': '/flinks#connect-url',
  'FLINKS.md §2.2': '/flinks#query-parameters',
  'FLINKS.md §2.3': '/flinks#postmessage-events',
  'FLINKS.md §2.4': '/flinks#redirect-url',
  'FLINKS.md §3': '/flinks#rest-api',
  'FLINKS.md §3.1': '/flinks#base-url',
  'FLINKS.md §3.2': '/flinks#credentials-and-headers',
  'FLINKS.md §3.3': '/flinks#generateauthorizetoken',
  'FLINKS.md §3.4': '/flinks#authorize',
  'FLINKS.md §3.5': '/flinks#getaccountsdetail',
  'FLINKS.md §3.6': '/flinks#getaccountsdetailasync',
  'FLINKS.md §3.7': '/flinks#errors-and-flinkscodes',
  'FLINKS.md §3.8': '/flinks#lifetimes',
  'FLINKS.md §4': '/flinks#other-endpoints',
  'FLINKS.md §5': '/flinks#webhooks',
  'FLINKS.md §6': '/flinks#toolbox-sandbox',
  'FLINKS.md §7': '/flinks#open-source-clients',
  'FLINKS.md §8': '/flinks#uncertain-points',
  'FLINKS.md §9': '/flinks#easy-to-miss-behaviours',
};

/** The anchors the link check must find. */
export const promisedAnchors = (): string[] => Object.values(STABLE_ANCHORS);
