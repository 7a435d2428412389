/**
 * What each request looks like: a fixed population of clients (Zipf activity, each with a
 * sticky address, user and agent), Zipf-distributed sections, and methods, statuses and
 * sizes that depend on the section and the client.
 */
import { at, Weighted, zipfWeights, type Random } from './prng.js';
import {
  API_RESOURCES,
  EXTERNAL_REFERERS,
  HEAD_SECTIONS,
  REFERER_PAGES,
  TAIL_SECTIONS,
  USER_AGENTS,
  USERS,
  WORDS,
  type ClientKind,
  type SectionKind,
} from './vocabulary.js';

/** The parts of one log line around the timestamp. */
export interface RequestParts {
  /** `%h %l %u`, e.g. `192.168.3.7 - frank`. */
  readonly prefix: string;
  /** `"%r" %>s %b`, e.g. `"GET / HTTP/1.1" 200 2326`. */
  readonly request: string;
  /** ` "%{Referer}i" "%{User-agent}i"` with its leading space (Combined only). */
  readonly extra: string;
}

interface Client {
  readonly prefix: string;
  readonly agent: string;
  readonly kind: ClientKind;
  readonly protocol: string;
}

type Table = Weighted<number>;
const table = (entries: readonly (readonly [number, number])[]): Table => new Weighted(entries);

const STATUS = {
  page: table([
    [200, 93],
    [304, 3],
    [301, 1],
    [302, 0.5],
    [404, 2],
    [403, 0.2],
    [500, 0.25],
    [502, 0.03],
    [503, 0.02],
  ]),
  static: table([
    [200, 62],
    [304, 35],
    [404, 2.5],
    [206, 0.3],
    [500, 0.02],
  ]),
  image: table([
    [200, 70],
    [304, 25],
    [404, 4],
    [206, 1],
  ]),
  apiRead: table([
    [200, 92],
    [304, 1.5],
    [400, 1],
    [401, 2],
    [403, 0.5],
    [404, 2],
    [429, 0.3],
    [500, 0.5],
    [502, 0.1],
    [503, 0.1],
    [504, 0.05],
  ]),
  apiWrite: table([
    [200, 35],
    [201, 45],
    [400, 8],
    [401, 2],
    [409, 2],
    [422, 6],
    [500, 1.5],
    [503, 0.2],
  ]),
  apiDelete: table([
    [204, 85],
    [404, 10],
    [403, 4],
    [500, 1],
  ]),
  options: table([[204, 100]]),
  loginGet: table([
    [200, 95],
    [304, 5],
  ]),
  loginPost: table([
    [302, 72],
    [401, 24],
    [429, 2],
    [200, 1.5],
    [500, 0.5],
  ]),
  report: table([
    [200, 88],
    [304, 2],
    [404, 5],
    [403, 1],
    [500, 3],
    [504, 1],
  ]),
  admin: table([
    [302, 40],
    [401, 25],
    [403, 25],
    [200, 10],
  ]),
  file: table([
    [200, 85],
    [304, 10],
    [404, 5],
  ]),
  probe: table([
    [404, 92],
    [403, 6],
    [400, 2],
  ]),
  tail: table([
    [200, 75],
    [404, 18],
    [301, 5],
    [500, 2],
  ]),
  overload: table([
    [503, 70],
    [502, 20],
    [504, 10],
  ]),
} as const;

type Methods = Weighted<string>;
const methods = (entries: readonly (readonly [string, number])[]): Methods => new Weighted(entries);
const METHODS: Readonly<Record<SectionKind, Methods>> = {
  home: methods([
    ['GET', 97],
    ['HEAD', 3],
  ]),
  page: methods([
    ['GET', 96],
    ['HEAD', 2],
    ['POST', 2],
  ]),
  static: methods([
    ['GET', 98],
    ['HEAD', 2],
  ]),
  image: methods([
    ['GET', 98],
    ['HEAD', 2],
  ]),
  api: methods([
    ['GET', 70],
    ['POST', 16],
    ['PUT', 5],
    ['PATCH', 2],
    ['DELETE', 4],
    ['OPTIONS', 3],
  ]),
  login: methods([
    ['GET', 55],
    ['POST', 45],
  ]),
  report: methods([
    ['GET', 99],
    ['HEAD', 1],
  ]),
  search: methods([
    ['GET', 99],
    ['HEAD', 1],
  ]),
  admin: methods([
    ['GET', 90],
    ['POST', 10],
  ]),
  file: methods([
    ['GET', 97],
    ['HEAD', 3],
  ]),
  probe: methods([
    ['GET', 80],
    ['POST', 20],
  ]),
  tail: methods([
    ['GET', 98],
    ['HEAD', 2],
  ]),
};

/** Size range in bytes of a successful response, per section kind. */
const SIZES: Readonly<Record<SectionKind, readonly [number, number]>> = {
  home: [12_000, 60_000],
  page: [6_000, 90_000],
  static: [1_000, 400_000],
  image: [3_000, 900_000],
  api: [60, 25_000],
  login: [2_000, 6_000],
  report: [20_000, 5_000_000],
  search: [8_000, 70_000],
  admin: [3_000, 30_000],
  file: [40, 20_000],
  probe: [100, 2_000],
  tail: [3_000, 40_000],
};

const PROBES: readonly string[] = [
  '/wp-login.php',
  '/.env',
  '/.git/config',
  '/phpmyadmin/index.php',
  '/xmlrpc.php',
  '/cgi-bin/luci',
  '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
  '/boaform/admin/formLogin',
  '/admin/config.php',
  '/wp-admin/setup-config.php',
  '/actuator/health',
  '/server-status',
];

const PUBLIC_FIRST_OCTETS: readonly number[] = [
  23, 31, 37, 45, 46, 51, 62, 66, 70, 72, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89, 91, 93, 94, 95, 98, 99, 104, 107, 108, 109, 151,
  176, 178, 185, 188, 193, 194, 195, 203, 212, 213, 217,
];
const IPV6_PREFIXES: readonly string[] = ['2a01:4f8', '2a02:810', '2600:1700', '2003:e6', '2a00:1450', '2001:67c'];

export interface RequestOptions {
  readonly clients: number;
  /** Host name used in internal referers. */
  readonly host: string;
}

export class RequestFactory {
  readonly #random: Random;
  readonly #clients: readonly Client[];
  readonly #clientTable: Weighted<number>;
  readonly #sectionTable: Weighted<readonly [string, SectionKind]>;
  readonly #staticFiles: readonly string[];
  readonly #origin: string;

  constructor(random: Random, options: RequestOptions) {
    if (!Number.isSafeInteger(options.clients) || options.clients < 1) {
      throw new RangeError(`clients must be a positive integer, got ${options.clients}`);
    }
    this.#random = random;
    this.#origin = `https://${options.host}`;
    const agents = new Weighted(USER_AGENTS.map(([agent, kind, weight]) => [[agent, kind] as const, weight] as const));
    this.#clients = Array.from({ length: options.clients }, () => makeClient(random, agents));
    this.#clientTable = new Weighted(zipfWeights(options.clients, 0.8).map((w, i) => [i, w] as const));
    const head = zipfWeights(HEAD_SECTIONS.length, 1, 0.98);
    const tail = zipfWeights(TAIL_SECTIONS.length, 1, 0.02);
    this.#sectionTable = new Weighted([
      ...HEAD_SECTIONS.map((section, i) => [section, head[i] ?? 0] as const),
      ...TAIL_SECTIONS.map((name, i) => [[name, 'tail'] as const, tail[i] ?? 0] as const),
    ]);
    // One deployment's worth of hashed assets: a few dozen files, requested over and over.
    this.#staticFiles = Array.from({ length: 36 }, (_, i) => {
      const hash = random.hex(8);
      if (i < 6) return `/static/css/${random.pick(['main', 'theme', 'print', 'vendor'])}.${hash}.css`;
      if (i < 30) return `/static/js/${i < 10 ? random.pick(['app', 'vendor', 'runtime']) : `chunk-${i}`}.${hash}.js`;
      return `/fonts/${random.pick(['inter', 'roboto', 'fira-code'])}-${random.pick(['400', '600', 'var'])}.woff2`;
    });
  }

  /** The next request; `busy` (a burst) raises the share of 502/503/504. */
  next(busy: boolean): RequestParts {
    const random = this.#random;
    const client = at(this.#clients, this.#clientTable.sample(random));
    const [section, kind] = this.#section(client.kind);
    const method = METHODS[kind].sample(random);
    const target = this.#target(section, kind, method);
    let status = this.#status(kind, method);
    if (busy && random.chance(0.04)) status = STATUS.overload.sample(random);
    const bytes = this.#bytes(kind, method, status);
    const referer = this.#referer(client.kind, kind, method);
    return {
      prefix: client.prefix,
      request: `"${method} ${target} ${client.protocol}" ${status} ${bytes}`,
      extra: ` "${referer}" "${client.agent}"`,
    };
  }

  #section(kind: ClientKind): readonly [string, SectionKind] {
    const random = this.#random;
    if (kind === 'scanner' && random.chance(0.6)) return [random.pick(PROBES), 'probe'];
    if (kind === 'tool' && random.chance(0.7)) {
      return random.chance(0.75) ? ['/api', 'api'] : random.chance(0.5) ? ['/health', 'file'] : ['/metrics', 'file'];
    }
    if (kind === 'bot' && random.chance(0.05)) return random.chance(0.7) ? ['/robots.txt', 'file'] : ['/sitemap.xml', 'file'];
    return this.#sectionTable.sample(random);
  }

  #target(section: string, kind: SectionKind, method: string): string {
    const random = this.#random;
    switch (kind) {
      case 'home':
        return random.chance(0.94)
          ? '/'
          : `/?utm_source=${random.pick(['newsletter', 'twitter', 'partner'])}&utm_medium=${random.pick(['email', 'social', 'cpc'])}`;
      case 'page': {
        const r = random.next();
        if (r < 0.3) return section;
        if (r < 0.7) return `${section}/${random.pick(WORDS)}-${random.pick(WORDS)}`;
        return `${section}/${random.int(1, 5000)}`;
      }
      case 'static':
        return section === '/fonts' ? this.#pickStatic(30, 36) : this.#pickStatic(0, 30);
      case 'image':
        return section === '/media'
          ? `/media/video/${random.pick(WORDS)}-${random.int(1, 40)}.mp4`
          : `/images/${random.pick(WORDS)}-${random.int(1, 500)}.${random.pick(['jpg', 'jpg', 'png', 'webp', 'svg'])}`;
      case 'api': {
        const resource = random.pick(API_RESOURCES);
        if (method === 'POST') return `/api/${resource}`;
        if (method !== 'GET' || random.chance(0.55)) return `/api/${resource}/${random.int(1, 99_999)}`;
        return random.chance(0.5)
          ? `/api/${resource}`
          : `/api/${resource}?page=${random.int(1, 40)}&limit=${random.pick([10, 20, 50, 100])}`;
      }
      case 'login':
        return method === 'GET' && random.chance(0.3) ? `/login?next=%2F${random.pick(['report', 'account', 'admin', 'cart'])}` : '/login';
      case 'report': {
        const r = random.next();
        if (r < 0.5) return `/report/${random.int(2023, 2026)}/${String(random.int(1, 12)).padStart(2, '0')}/summary.pdf`;
        if (r < 0.8) return `/report?id=${random.int(1, 20_000)}&format=${random.pick(['csv', 'pdf', 'html'])}`;
        return `/report/${random.pick(['daily', 'weekly', 'monthly'])}`;
      }
      case 'search':
        return `/search?q=${random.pick(WORDS)}${random.chance(0.5) ? `+${random.pick(WORDS)}` : ''}${random.chance(0.2) ? `&page=${random.int(2, 9)}` : ''}`;
      case 'admin':
        return random.chance(0.4) ? '/admin' : `/admin/${random.pick(['users', 'settings', 'logs', 'jobs', 'audit'])}`;
      case 'file':
        return section === '/feed' && random.chance(0.4) ? '/feed/atom' : section;
      case 'probe':
        return section;
      case 'tail':
        return random.chance(0.6) ? section : `${section}/${random.pick(WORDS)}`;
    }
  }

  #pickStatic(from: number, to: number): string {
    return at(this.#staticFiles, from + this.#random.below(to - from));
  }

  #status(kind: SectionKind, method: string): number {
    const random = this.#random;
    switch (kind) {
      case 'home':
      case 'page':
      case 'search':
        return STATUS.page.sample(random);
      case 'api':
        if (method === 'GET' || method === 'HEAD') return STATUS.apiRead.sample(random);
        if (method === 'DELETE') return STATUS.apiDelete.sample(random);
        if (method === 'OPTIONS') return STATUS.options.sample(random);
        return STATUS.apiWrite.sample(random);
      case 'login':
        return (method === 'POST' ? STATUS.loginPost : STATUS.loginGet).sample(random);
      default:
        return STATUS[kind].sample(random);
    }
  }

  /** `%b`: `-` when no body was sent (Apache's convention for 0 bytes). */
  #bytes(kind: SectionKind, method: string, status: number): string {
    const random = this.#random;
    if (method === 'HEAD' || status === 304 || status === 204) return '-';
    if (status === 301 || status === 302) return String(random.int(200, 600));
    if (status >= 500) return random.chance(0.1) ? '-' : String(random.int(250, 800));
    if (status >= 400) return String(random.int(150, 1_200));
    if (kind === 'api' && random.chance(0.005)) return '-';
    const [min, max] = SIZES[kind];
    const size = random.logUniform(min, max);
    return String(status === 206 ? Math.floor(size / 4) : size);
  }

  #referer(client: ClientKind, kind: SectionKind, method: string): string {
    const random = this.#random;
    if (client !== 'browser') return random.chance(0.97) ? '-' : `${this.#origin}/`;
    if (kind === 'login' && method === 'POST') return `${this.#origin}/login`;
    if (kind === 'static' || kind === 'image' || kind === 'api') {
      return random.chance(0.88) ? `${this.#origin}${random.pick(REFERER_PAGES)}` : '-';
    }
    const r = random.next();
    if (r < 0.35) return '-';
    if (r < 0.75) return `${this.#origin}${random.pick(REFERER_PAGES)}`;
    return random.pick(EXTERNAL_REFERERS);
  }
}

function makeClient(random: Random, agents: Weighted<readonly [string, ClientKind]>): Client {
  const [agent, kind] = agents.sample(random);
  let address: string;
  if (agent.includes('Googlebot')) address = `66.249.${random.int(64, 79)}.${random.int(1, 254)}`;
  else if (agent.includes('bingbot')) address = `40.77.${random.int(160, 191)}.${random.int(1, 254)}`;
  else address = random.chance(0.03) ? ipv6(random) : ipv4(random);
  const named = kind === 'browser' ? random.chance(0.08) : kind === 'tool' && random.chance(0.15);
  const user = !named ? '-' : kind === 'tool' ? random.pick(['svc-report', 'svc-backup']) : random.pick(USERS);
  const protocol = kind === 'browser' ? (random.chance(0.45) ? 'HTTP/2.0' : 'HTTP/1.1') : random.chance(0.1) ? 'HTTP/1.0' : 'HTTP/1.1';
  return { prefix: `${address} - ${user}`, agent, kind, protocol };
}

function ipv4(random: Random): string {
  const r = random.next();
  const tail = `${random.below(256)}.${random.int(1, 254)}`;
  if (r < 0.08) return `10.${random.below(256)}.${tail}`;
  if (r < 0.12) return `192.168.${tail}`;
  if (r < 0.14) return `172.${random.int(16, 31)}.${tail}`;
  return `${random.pick(PUBLIC_FIRST_OCTETS)}.${random.below(256)}.${tail}`;
}

function ipv6(random: Random): string {
  const group = (): string => random.below(0x1_0000).toString(16);
  return `${random.pick(IPV6_PREFIXES)}:${group()}:${group()}::${group()}`;
}
