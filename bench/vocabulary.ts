/**
 * Static word lists for the log generator: sections, user agents, referers, user names.
 * Plain data, no randomness; the generator weighs and draws from them.
 */

/** How a section behaves: which paths, methods, statuses and sizes it produces. */
export type SectionKind =
  | 'home'
  | 'page'
  | 'static'
  | 'image'
  | 'api'
  | 'login'
  | 'report'
  | 'search'
  | 'admin'
  | 'file'
  | 'probe'
  | 'tail';

/** Popular sections in Zipf rank order (most requested first). */
export const HEAD_SECTIONS: readonly (readonly [string, SectionKind])[] = [
  ['/', 'home'],
  ['/static', 'static'],
  ['/api', 'api'],
  ['/images', 'image'],
  ['/login', 'login'],
  ['/report', 'report'],
  ['/search', 'search'],
  ['/products', 'page'],
  ['/favicon.ico', 'file'],
  ['/blog', 'page'],
  ['/cart', 'page'],
  ['/docs', 'page'],
  ['/account', 'page'],
  ['/fonts', 'static'],
  ['/checkout', 'page'],
  ['/robots.txt', 'file'],
  ['/health', 'file'],
  ['/feed', 'file'],
  ['/media', 'image'],
  ['/admin', 'admin'],
  ['/sitemap.xml', 'file'],
  ['/about', 'page'],
  ['/contact', 'page'],
  ['/news', 'page'],
  ['/help', 'page'],
  ['/wp-login.php', 'probe'],
  ['/careers', 'page'],
  ['/.env', 'probe'],
  ['/metrics', 'file'],
  ['/legal', 'page'],
];

const TAIL_FIRST = [
  'summer',
  'winter',
  'spring',
  'autumn',
  'partner',
  'team',
  'legacy',
  'beta',
  'promo',
  'event',
  'press',
  'campus',
  'global',
  'local',
  'mobile',
  'cloud',
  'green',
  'open',
  'retro',
  'early',
];
const TAIL_SECOND = [
  'sale',
  'offsite',
  'portal',
  'archive',
  'launch',
  'kit',
  'day',
  'week',
  'hub',
  'lab',
  'store',
  'tour',
  'guide',
  'deals',
  'forum',
  'wiki',
  'status',
  'preview',
  'survey',
  'awards',
];

/** The long tail: 400 rarely requested sections such as `/summer-sale`. */
export const TAIL_SECTIONS: readonly string[] = TAIL_SECOND.flatMap((second) => TAIL_FIRST.map((first) => `/${first}-${second}`));

export type ClientKind = 'browser' | 'bot' | 'tool' | 'scanner';

/** User agents with their share of clients. */
export const USER_AGENTS: readonly (readonly [string, ClientKind, number])[] = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36', 'browser', 24],
  [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36 Edg/128.0.2739.79',
    'browser',
    7,
  ],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36', 'browser', 9],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15', 'browser', 7],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36', 'browser', 3],
  ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0', 'browser', 2],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0', 'browser', 4],
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
    'browser',
    12,
  ],
  [
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.6668.81 Mobile Safari/537.36',
    'browser',
    6,
  ],
  [
    'Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.6613.146 Mobile Safari/537.36',
    'browser',
    5,
  ],
  [
    'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
    'browser',
    2,
  ],
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'bot', 3],
  ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'bot', 1.5],
  ['Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)', 'bot', 1],
  ['Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', 'bot', 0.5],
  ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', 'bot', 0.5],
  ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'bot', 0.3],
  ['curl/8.5.0', 'tool', 1.5],
  ['python-requests/2.32.3', 'tool', 1.5],
  ['Go-http-client/1.1', 'tool', 1],
  ['okhttp/4.12.0', 'tool', 1],
  ['Wget/1.21.4', 'tool', 0.3],
  ['Prometheus/2.54.1', 'tool', 0.2],
  ['Mozilla/5.0 zgrab/0.x', 'scanner', 0.4],
  ['Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)', 'scanner', 0.2],
  ['-', 'scanner', 0.2],
];

/** Authenticated user names (`%u`); most clients log `-`. */
export const USERS: readonly string[] = [
  'frank',
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'oscar',
  'peggy',
  'trent',
  'victor',
  'walter',
  'jdoe',
  'svc-report',
  'svc-backup',
  'admin',
];

export const EXTERNAL_REFERERS: readonly string[] = [
  'https://www.google.com/',
  'https://www.google.de/',
  'https://www.bing.com/',
  'https://duckduckgo.com/',
  'https://t.co/',
  'https://www.facebook.com/',
  'https://news.ycombinator.com/',
  'https://www.reddit.com/',
  'https://l.instagram.com/',
  'https://www.linkedin.com/',
];

/** Pages that appear as internal referers (`https://<host><page>`). */
export const REFERER_PAGES: readonly string[] = [
  '/',
  '/',
  '/',
  '/products',
  '/products/42',
  '/blog',
  '/blog/2026/09/release-notes',
  '/search?q=shoes',
  '/cart',
  '/account',
  '/docs',
  '/docs/getting-started',
  '/report',
  '/login',
  '/news',
  '/help',
];

export const API_RESOURCES: readonly string[] = [
  'user',
  'users',
  'orders',
  'order',
  'products',
  'cart',
  'session',
  'search',
  'stats',
  'events',
  'notifications',
  'invoices',
  'v2/items',
  'v2/accounts',
  'health',
];

export const WORDS: readonly string[] = [
  'shoes',
  'jacket',
  'laptop',
  'coffee',
  'garden',
  'lamp',
  'camera',
  'bike',
  'tent',
  'watch',
  'phone',
  'desk',
  'chair',
  'book',
  'guitar',
  'kettle',
  'backpack',
  'monitor',
  'printer',
  'router',
];

export const MONTHS: readonly string[] = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
