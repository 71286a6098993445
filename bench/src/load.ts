import { signIn } from '../../tests/support/sign-in';
import { urls } from './stack';
import { waitForFacilityDirectory } from '../../infra/local/stack/demo-data';

/**
 * Simulated staff over HTTP: intake officers of two communes refer children to their commune's
 * health station (accepted by its staff as soon as it shows in the inbox) or preschool (never
 * accepted here, so its seconds-long deadline falls due and escalates). Every request a person
 * would repeat after a failure is repeated with the same Idempotency-Key, as a client should: the
 * drill relies on it, and any duplicate it produces is a finding.
 */

export interface Commune {
  code: string;
  intake: { username: string; password: string };
  healthStation: { facilityId: string; username: string; password: string };
  preschool: { facilityId: string; username: string; password: string };
}

/** Demo staff of services/identity/src/demo-users.ts. */
export const communes: Commune[] = [
  {
    code: '02704',
    intake: { username: 'canbo.yty', password: 'yty-intake-01' },
    healthStation: { facilityId: 'TYT-02704', username: 'yte.yty', password: 'yty-health-01' },
    preschool: { facilityId: 'MN-02704', username: 'giaovien.yty', password: 'yty-teacher-01' },
  },
  {
    code: '02701',
    intake: { username: 'canbo.batxat', password: 'batxat-intake-01' },
    healthStation: { facilityId: 'TYT-02701', username: 'yte.batxat', password: 'batxat-health-01' },
    preschool: { facilityId: 'MN-02701', username: 'giaovien.batxat', password: 'batxat-teacher-01' },
  },
];

export interface TrackedReferral {
  /** Set when intake answers (the id is derived from case + key, so a retry gets the same one). */
  referralId?: string;
  caseId: string;
  commune: string;
  sector: 'health' | 'education';
  facilityId: string;
  idempotencyKey: string;
  phase: string;
  requestSentAt: number;
  requestAnsweredAt?: number;
  /** HTTP status of the answer that created it (201), or 200 when a retry found it created. */
  requestStatus?: number;
  /** The inbox poll that first listed it: started at (lower bound) and answered at (upper bound). */
  inboxPollStartedAt?: number;
  inboxSeenAt?: number;
  acceptSentAt?: number;
  acceptedAt?: number;
  acceptStatus?: number;
  /** Whether accept→intake is measured for this one (a sample, see `intakeSampleEvery`). */
  intakeSampled?: boolean;
  intakeSeenAt?: number;
  attempts: number;
}

const familyNames = ['Nguyễn', 'Lò', 'Vàng', 'Giàng', 'Hoàng', 'Lý', 'Sùng', 'Thào'];
const syllables = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Khoa', 'Lan', 'Minh', 'Nga', 'Phúc'];

/** A distinct, valid Vietnamese-looking name per index (names carry no digits). */
export function childName(i: number): string {
  const digits = String(i)
    .split('')
    .map((d) => syllables[Number(d)]!);
  return `${familyNames[i % familyNames.length]} ${digits.join(' ')}`;
}

export interface HttpResult {
  status: number;
  body: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One HTTP call with a bearer token; a connection failure is status 0, never an exception. */
export async function call(
  method: 'GET' | 'POST',
  url: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  try {
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the error message
    }
    return { status: response.status, body: parsed };
  } catch (error) {
    return { status: 0, body: (error as Error).message };
  }
}

/** Status 0 (no answer), 502–504 and 500s from a dependency that is down are worth repeating. */
const retryable = (status: number) => status === 0 || status >= 500;

export interface LoadOptions {
  runName: string;
  /** Fraction of referrals sent to the preschool (never accepted: they escalate). */
  preschoolShare: number;
  /** Referrals per case before intake opens the next case. */
  referralsPerCase: number;
  /** How often facility staff reload their inbox (ms). */
  inboxPollMs: number;
  /** Accept→intake is measured on every n-th accepted referral (each check is a case read). */
  intakeSampleEvery: number;
  intakePollMs: number;
  /** Keep repeating failed requests (the drill) instead of giving up after a few tries. */
  retryForever: boolean;
  log: (line: string) => void;
}

export class ReferralLoad {
  readonly referrals: TrackedReferral[] = [];
  readonly byId = new Map<string, TrackedReferral>();
  readonly errors: { at: number; what: string; status: number; body: string }[] = [];
  readonly casesOpened: { caseId: string; commune: string; openedAt: number }[] = [];
  /** How long each inbox reload took (the facility's list query), as evidence for the database's share. */
  readonly inboxPolls: { at: number; value: number }[] = [];
  private tokens = new Map<string, string>();
  private casePool = new Map<string, { caseId: string; used: number }[]>();
  private counter = 0;
  private acceptedCount = 0;
  private stopping = false;
  private readonly loops: Promise<void>[] = [];
  private readonly acceptQueue = new Map<string, TrackedReferral[]>();
  private readonly intakeWatch: TrackedReferral[] = [];
  private inFlight = 0;

  constructor(private readonly options: LoadOptions) {}

  get requestsInFlight(): number {
    return this.inFlight;
  }

  async signInStaff(): Promise<void> {
    for (const commune of communes) {
      for (const person of [commune.intake, commune.healthStation, commune.preschool]) {
        this.tokens.set(person.username, await signIn(urls.identity, person.username, person.password));
      }
      // Referrals go only to facilities of intake's directory, which health and education fill at start.
      await waitForFacilityDirectory(urls.intake, this.token(commune.intake.username), [
        commune.healthStation.facilityId,
        commune.preschool.facilityId,
      ]);
    }
  }

  private token(username: string): string {
    return this.tokens.get(username)!;
  }

  /** Opens a case for each of `count` new children (registered inline) with their parent's consent to share. */
  async openCases(count: number, concurrency = 8): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        const commune = communes[i % communes.length]!;
        await this.openCase(commune, i);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  private async openCase(commune: Commune, i: number): Promise<string> {
    const token = this.token(commune.intake.username);
    const dob = new Date(Date.now() - (200 + (i % 2000)) * 86_400_000).toISOString().slice(0, 10);
    const opened = await this.persist(
      'open case',
      () =>
        call(
          'POST',
          `${urls.intake}/cases`,
          token,
          {
            child: {
              fullName: childName(i),
              dateOfBirth: dob,
              sex: i % 2 ? 'male' : 'female',
              communeCode: commune.code,
            },
            concerns: ['health', 'education'],
          },
          { 'idempotency-key': `${this.options.runName}-case-${i}` },
        ),
      (s) => s === 201 || s === 200,
    );
    const { _id: caseId, childId } = opened.body as { _id: string; childId: string };
    // Referrals need a consent in force naming the sector (Law on Children 2016, Art. 33).
    await this.persist(
      'record consent',
      () =>
        call(
          'POST',
          `${urls.intake}/children/${childId}/consents`,
          token,
          {
            givenBy: { name: `${childName(i).split(' ')[0]} Văn Cha`, relationship: 'parent' },
            sharingWith: ['health', 'education'],
            givenOn: new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10),
          },
          { 'idempotency-key': `${this.options.runName}-consent-${i}` },
        ),
      (s) => s === 201 || s === 200,
    );
    const pool = this.casePool.get(commune.code) ?? [];
    pool.push({ caseId, used: 0 });
    this.casePool.set(commune.code, pool);
    this.casesOpened.push({ caseId, commune: commune.code, openedAt: Date.now() });
    return caseId;
  }

  /** Repeats a request until `ok` or a non-retryable answer (or forever while retrying in a drill). */
  private async persist(what: string, send: () => Promise<HttpResult>, ok: (status: number) => boolean) {
    for (let attempt = 1; ; attempt++) {
      const result = await send();
      if (ok(result.status)) return result;
      this.errors.push({
        at: Date.now(),
        what,
        status: result.status,
        body: JSON.stringify(result.body).slice(0, 300),
      });
      const giveUp = !retryable(result.status) || (!this.options.retryForever && attempt >= 5);
      if (giveUp || this.stopping) throw new Error(`${what}: ${result.status} ${JSON.stringify(result.body)}`);
      await sleep(Math.min(2000, 100 * attempt));
    }
  }

  /** A case of the commune with room for another referral (cases are opened ahead, in `openCases`). */
  private pickCase(commune: string): string {
    const pool = this.casePool.get(commune)!;
    const open = pool.find((c) => c.used < this.options.referralsPerCase);
    const chosen = open ?? pool[this.counter % pool.length]!;
    chosen.used++;
    return chosen.caseId;
  }

  /** One intake officer's referral: returns when intake has answered (or it failed). */
  async refer(phase: string, sector?: 'health' | 'education'): Promise<void> {
    const n = this.counter++;
    const commune = communes[n % communes.length]!;
    const toPreschool = sector ? sector === 'education' : (n * 7919) % 1000 < this.options.preschoolShare * 1000;
    const tracked: TrackedReferral = {
      caseId: this.pickCase(commune.code),
      commune: commune.code,
      sector: toPreschool ? 'education' : 'health',
      facilityId: toPreschool ? commune.preschool.facilityId : commune.healthStation.facilityId,
      idempotencyKey: `${this.options.runName}-ref-${n}`,
      phase,
      requestSentAt: Date.now(),
      attempts: 0,
    };
    this.referrals.push(tracked);
    this.inFlight++;
    try {
      const result = await this.persist(
        'refer',
        () => {
          tracked.attempts++;
          return call(
            'POST',
            `${urls.intake}/cases/${tracked.caseId}/referrals`,
            this.token(commune.intake.username),
            {
              sector: tracked.sector,
              urgency: 'routine',
              facilityId: tracked.facilityId,
              reason: tracked.sector === 'health' ? 'Tiêm chủng quá hạn' : 'Can thiệp sớm: dấu hiệu chậm phát triển',
            },
            { 'idempotency-key': tracked.idempotencyKey },
          );
        },
        (s) => s === 201 || s === 200,
      );
      const body = result.body as { referralId: string };
      tracked.referralId = body.referralId;
      tracked.requestAnsweredAt = Date.now();
      tracked.requestStatus = result.status;
      this.byId.set(body.referralId, tracked);
    } catch {
      // recorded in errors; the referral stays without an id (counted as failed)
    } finally {
      this.inFlight--;
    }
  }

  /** Facility staff of every health station: reload the inbox, accept what is new. */
  startHealthStaff(acceptConcurrency = 8): void {
    for (const commune of communes) {
      const station = commune.healthStation;
      const queue: TrackedReferral[] = [];
      this.acceptQueue.set(station.facilityId, queue);
      this.loops.push(this.inboxLoop(station.facilityId, this.token(station.username), queue));
      for (let i = 0; i < acceptConcurrency; i++) {
        this.loops.push(this.acceptLoop(this.token(station.username), queue));
      }
    }
    for (let i = 0; i < 4; i++) this.loops.push(this.intakeLoop());
  }

  private async inboxLoop(facilityId: string, token: string, queue: TrackedReferral[]): Promise<void> {
    while (!this.stopping) {
      const started = Date.now();
      const result = await call('GET', `${urls.health}/inbox?state=REQUESTED&limit=500`, token);
      const answered = Date.now();
      this.inboxPolls.push({ at: answered, value: answered - started });
      if (result.status === 200) {
        for (const item of result.body as { _id: string }[]) {
          const tracked = this.byId.get(item._id);
          if (!tracked || tracked.inboxSeenAt) continue;
          tracked.inboxPollStartedAt = started;
          tracked.inboxSeenAt = answered;
          queue.push(tracked);
        }
      } else {
        this.errors.push({
          at: answered,
          what: `inbox ${facilityId}`,
          status: result.status,
          body: String(result.body).slice(0, 200),
        });
      }
      await sleep(Math.max(0, this.options.inboxPollMs - (Date.now() - started)));
    }
  }

  private async acceptLoop(token: string, queue: TrackedReferral[]): Promise<void> {
    while (!this.stopping) {
      const tracked = queue.shift();
      if (!tracked) {
        await sleep(10);
        continue;
      }
      tracked.acceptSentAt = Date.now();
      try {
        const result = await this.persist(
          'accept',
          () => call('POST', `${urls.health}/inbox/${tracked.referralId}/accept`, token),
          // 409 after a repeated accept whose first answer was lost: it is accepted (checked by the drill).
          (s) => s === 200 || s === 409,
        );
        tracked.acceptedAt = Date.now();
        tracked.acceptStatus = result.status;
        if (this.acceptedCount++ % this.options.intakeSampleEvery === 0) {
          tracked.intakeSampled = true;
          this.intakeWatch.push(tracked);
        }
      } catch {
        // recorded in errors
      }
    }
  }

  /** Intake staff open sampled cases until the accept shows there. */
  private async intakeLoop(): Promise<void> {
    while (!this.stopping) {
      const tracked = this.intakeWatch.shift();
      if (!tracked) {
        await sleep(10);
        continue;
      }
      const commune = communes.find((c) => c.code === tracked.commune)!;
      const result = await call('GET', `${urls.intake}/cases/${tracked.caseId}`, this.token(commune.intake.username));
      const answered = Date.now();
      const referral = (result.body as { referrals?: { referralId: string; state: string }[] }).referrals?.find(
        (r) => r.referralId === tracked.referralId,
      );
      if (referral && referral.state !== 'REQUESTED') {
        tracked.intakeSeenAt = answered;
      } else {
        // Not there yet: look again shortly, behind the others.
        setTimeout(() => this.intakeWatch.push(tracked), this.options.intakePollMs);
      }
    }
  }

  /** Open loop: `rate` referrals per second for `seconds`, at most `concurrency` awaiting intake. */
  async runPhase(
    phase: string,
    rate: number,
    seconds: number,
    concurrency: number,
  ): Promise<{ start: number; end: number; skipped: number }> {
    const start = Date.now();
    const end = start + seconds * 1000;
    let issued = 0;
    let skipped = 0;
    const pending = new Set<Promise<void>>();
    while (Date.now() < end && !this.stopping) {
      const due = Math.floor(((Date.now() - start) / 1000) * rate);
      while (issued < due) {
        if (this.inFlight >= concurrency) {
          // The stack is not keeping up: this referral is not sent (reported as skipped).
          skipped += due - issued;
          issued = due;
          break;
        }
        issued++;
        const p = this.refer(phase);
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
      await sleep(5);
    }
    await Promise.all(pending);
    return { start, end: Date.now(), skipped };
  }

  acceptedHealthReferrals(): TrackedReferral[] {
    return this.referrals.filter((r) => r.sector === 'health' && r.acceptedAt);
  }

  /**
   * Waits (at most `timeoutMs`) until every created health referral of `phase` is accepted; answers
   * how many seconds after the call the last one was, or undefined when some were not.
   */
  async drainPhase(phase: string, timeoutMs: number): Promise<number | undefined> {
    const from = Date.now();
    const deadline = from + timeoutMs;
    const health = this.referrals.filter((r) => r.phase === phase && r.referralId && r.sector === 'health');
    while (!this.stopping) {
      if (health.every((r) => r.acceptedAt)) return Math.max(0, ...health.map((r) => r.acceptedAt! - from)) / 1000;
      if (Date.now() >= deadline) return undefined;
      await sleep(250);
    }
    return undefined;
  }

  /** Waits until every created health referral is accepted and sampled ones are seen at intake. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const open = this.referrals.filter(
        (r) => r.referralId && r.sector === 'health' && (!r.acceptedAt || (r.intakeSampled && !r.intakeSeenAt)),
      );
      if (open.length === 0) return true;
      await sleep(250);
    }
    return false;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  tokenOf(username: string): string {
    return this.token(username);
  }
}
