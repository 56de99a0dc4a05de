/** Given names for generated holders. */
export const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Charlotte',
  'William',
  'Amelia',
  'Benjamin',
  'Chloé',
  'Félix',
  'Léa',
  'Samuel',
  'Maya',
  'Gabriel',
  'Zoé',
  'Nathan',
  'Aiden',
  'Sofia',
] as const;

/** Family names for generated holders. */
export const LAST_NAMES = [
  'Tremblay',
  'Gagnon',
  'Roy',
  'Côté',
  'Bouchard',
  'Smith',
  'Brown',
  'Wilson',
  'MacDonald',
  'Martin',
  'Lee',
  'Singh',
  'Nguyen',
  'Leblanc',
  'Taylor',
  'Campbell',
] as const;

/** Streets for generated civic addresses. */
export const STREETS = [
  'Rue Sainte-Catherine',
  'Yonge Street',
  'Granville Street',
  'Rue Saint-Denis',
  'Queen Street West',
  'Jasper Avenue',
  'Spring Garden Road',
  'Portage Avenue',
  'King Street East',
  'Boulevard René-Lévesque',
] as const;

/** City, province, postal-code first letter (the forward sortation area's district). */
export const CITIES: readonly (readonly [string, string, string])[] = [
  ['Montreal', 'QC', 'H'],
  ['Toronto', 'ON', 'M'],
  ['Vancouver', 'BC', 'V'],
  ['Quebec City', 'QC', 'G'],
  ['Calgary', 'AB', 'T'],
  ['Edmonton', 'AB', 'T'],
  ['Halifax', 'NS', 'B'],
  ['Winnipeg', 'MB', 'R'],
  ['Ottawa', 'ON', 'K'],
];

/** Everyday debits of a chequing account: description and amount range in dollars. */
export const CHEQUING_DEBITS: readonly (readonly [string, number, number])[] = [
  ['IGA #8123 MONTREAL', 25, 140],
  ['METRO 224 TORONTO', 20, 120],
  ['TIM HORTONS #2231', 2, 15],
  ['HYDRO-QUEBEC PAYMENT', 60, 180],
  ['BELL CANADA PAYMENT', 55, 110],
  ['INTERAC E-TRANSFER SENT', 20, 300],
  ['SHELL C01234', 35, 90],
  ['PHARMAPRIX #0155', 8, 60],
  ['ATM WITHDRAWAL', 20, 200],
];

/** Credit-card purchases: description and amount range in dollars. */
export const CARD_DEBITS: readonly (readonly [string, number, number])[] = [
  ['AMAZON.CA', 12, 180],
  ['UBER EATS', 18, 65],
  ['NETFLIX.COM', 17, 21],
  ['COSTCO WHOLESALE #523', 60, 320],
  ['SAQ 23045', 15, 80],
  ['CANADIAN TIRE #127', 10, 150],
  ['AIR CANADA', 180, 650],
];
