import type { AccountMeta, AuthMethod, SiteInfo } from '../store/types';
import type { StepInfo } from '../ui/prompter';
import type { ExtensionHostKind, SignInDeps } from './deps';

/** Cloud, or Server/Data Center (Jira reports "Server" for both, some versions "DataCenter"). */
export type DeploymentKind = 'cloud' | 'server';

export function deploymentKind(site: SiteInfo): DeploymentKind {
  return site.deploymentType === 'Cloud' ? 'cloud' : 'server';
}

/** The method's name; Basic on Jira Cloud is an API token. */
// One definition, in src/ui: the status bar (loaded at activation) names methods too.
export { methodLabel } from '../ui/methodLabel';

/**
 * How the browser's answer comes back: a loopback listener on 127.0.0.1, VS Code's URI handler
 * (at the address asExternalUri gives it), or a code or address the user pastes.
 */
export type Redirect = 'loopback' | 'uri' | 'paste';

/**
 * Where a sign-in flow works. "What works where" is data: the provider keeps the flows whose
 * options fit the window and the site, and tries them in order.
 */
export interface FlowOptions {
  /** Extension hosts the flow works in (a loopback listener only helps where the browser runs too). */
  readonly extensionHosts: readonly ExtensionHostKind[];
  readonly deployments: readonly DeploymentKind[];
  /** Lowest Jira Server/Data Center version (e.g. PATs came with 8.14). Ignored for Cloud. */
  readonly minServerVersion?: string;
  /**
   * Needs an OAuth 2.0 client (id and secret) that an administrator registered in Jira or in the
   * Atlassian developer console. Offered where the user can enter one (interactive sign-in) or
   * one is already stored for the site.
   */
  readonly needsClientSecret: boolean;
  /** How the browser's answer comes back (flows that open a consent page). */
  readonly redirect?: Redirect;
}

/** Arguments of jira.signIn / api.signIn; every field skips the matching UI step. */
export interface SignInArgs {
  baseUrl?: string;
  method?: AuthMethod;
  /** OAuth 1.0a: the application link's consumer key. */
  consumerKey?: string;
  /** OAuth 1.0a: the private key (PKCS#1 or PKCS#8 PEM) of an existing application link. */
  privateKeyPem?: string;
  passphrase?: string;
  /**
   * OAuth 1.0a: the verification code, or a function that gets the authorize URL (instead of it
   * being opened in the browser) and returns the code (tests approve in the emulator).
   */
  verifier?: string | ((authorizeUrl: string, signal?: AbortSignal) => Promise<string>);
  /** OAuth 1.0a: force the out-of-band code or the loopback callback. */
  callback?: 'oob' | 'loopback';
  /** PAT sign-in: the token. */
  token?: string;
  /** Basic sign-in: user name (or e-mail for Cloud) and password (or API token). */
  username?: string;
  password?: string;
  /** OAuth 2.0: the client (application link or Atlassian app) id and secret. */
  clientId?: string;
  clientSecret?: string;
  /**
   * OAuth 2.0: gets the authorize URL (instead of it being opened in the browser) and returns the
   * redirect URL or the code (tests approve in the emulator).
   */
  authorize?: (authorizeUrl: string, signal?: AbortSignal) => Promise<string>;
  /** OAuth 2.0: how the browser comes back; default: loopback where the host is local, else the URI handler, else paste. */
  redirect?: Redirect;
  /** OAuth 2.0 Cloud: the cloud id of the site to use (skips the site pick). */
  cloudId?: string;
  /** Don't offer to continue a pending sign-in; start a new one. */
  fresh?: boolean;
}

/**
 * The boxes and picks of a flow, in the order it shows them; the step counter ("3/4") counts
 * them after the site and method picks that were shown.
 */
export type FlowStep =
  | 'consumerKey'
  | 'keyPair'
  | 'applicationLink'
  | 'verificationCode'
  | 'client'
  /** Allow access on the consent page in the browser (a box in VS Code only where the redirect is pasted). */
  | 'allowAccess'
  | 'cloudSite'
  | 'token'
  | 'email'
  | 'apiToken'
  | 'user'
  | 'password';

/** The counter of a flow's step after `shown` steps (site, method): "step/total". */
export function stepCounter(steps: readonly FlowStep[], shown: number): (step: FlowStep) => StepInfo {
  return (step) => {
    const i = steps.indexOf(step);
    if (i < 0) throw new Error(`step ${step} is not one of the flow's steps (${steps.join(', ')})`);
    return { step: shown + i + 1, totalSteps: shown + steps.length };
  };
}

export interface FlowContext {
  readonly deps: SignInDeps;
  readonly site: SiteInfo;
  readonly args: SignInArgs;
  /** Title prefix of every step, e.g. "Jira: Sign In (jira.example.com)". */
  readonly title: string;
  /** The step counter of one of the flow's steps. */
  step(step: FlowStep): StepInfo;
  /** Continue the pending sign-in for this site rather than starting over. */
  readonly resume?: boolean;
  /** State shared by the flows tried in turn (e.g. the OAuth 1.0a draft, so a fallback does not ask again). */
  readonly shared: Record<string, unknown>;
}

export interface SignInFlow {
  /** 'oauth1-loopback', 'oauth1-oob', 'oauth2-dc-paste', 'pat'... (docs/architecture.md lists them all). */
  readonly id: string;
  readonly method: AuthMethod;
  /** Shown in the method picker (localised on access). */
  readonly label: string;
  readonly detail: string;
  readonly options: FlowOptions;
  /**
   * Its steps, in order (the step counter). A step may happen in the browser with no box in VS
   * Code (allowAccess where the loopback listener takes the redirect), or be skipped when an
   * argument or the pending sign-in answers it; the numbers of the others stay.
   */
  readonly steps: readonly FlowStep[];
  /** Runs the flow; resolves with the stored account, rejects with SignInError/JiraError/KeyError. */
  trigger(ctx: FlowContext): Promise<AccountMeta>;
}

export interface FlowQuery {
  extensionHost: ExtensionHostKind;
  deployment: DeploymentKind;
  /** Jira version, "9.12.0". */
  version?: string;
  hasClientSecret: boolean;
  /**
   * The redirect the user chose, per method (jira.oauth1.callback "oob" or a verifier given:
   * oauth1 'paste'; jira.oauth2.redirect or args.redirect for oauth2). Absent: chosen by the host.
   */
  redirects?: Partial<Record<AuthMethod, Redirect>>;
}

/** Compares dotted versions numerically: -1, 0 or 1. Missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function flowFits(flow: Pick<SignInFlow, 'method' | 'options'>, q: FlowQuery): boolean {
  const { options } = flow;
  const chosen = options.redirect && q.redirects?.[flow.method];
  if (chosen) {
    // A redirect the user chose replaces the extension-host rule; pasting stays as the fallback.
    if (options.redirect !== chosen && options.redirect !== 'paste') return false;
  } else if (!options.extensionHosts.includes(q.extensionHost)) return false;
  if (!options.deployments.includes(q.deployment)) return false;
  if (options.needsClientSecret && !q.hasClientSecret) return false;
  if (options.minServerVersion && q.deployment === 'server' && q.version && compareVersions(q.version, options.minServerVersion) < 0) return false;
  return true;
}

/** The flows that work here, in preference order. */
export function selectFlows<F extends Pick<SignInFlow, 'method' | 'options'>>(flows: readonly F[], q: FlowQuery): F[] {
  return flows.filter((f) => flowFits(f, q));
}

/**
 * The methods to recommend for a site, best first, from /rest/api/2/serverInfo: Cloud: OAuth 2.0
 * (3LO) or an API token; Data Center 8.22+: OAuth 2.0, a personal access token or an application
 * link; older: an application link or a personal access token. Basic is never recommended.
 */
export function recommendedMethods(site: Pick<SiteInfo, 'deploymentType' | 'version'>): AuthMethod[] {
  const deployment = deploymentKind(site as SiteInfo);
  const row = RECOMMENDATIONS.find((r) => r.deployment === deployment && (!r.minServerVersion || (site.version && compareVersions(site.version, r.minServerVersion) >= 0)));
  return row ? [...row.methods] : [];
}

/** OAuth 2.0 incoming application links came with Jira Data Center 8.22. */
export const OAUTH2_DC_MIN_VERSION = '8.22.0';

/** The recommendations, first matching row wins (the version threshold is the OAuth 2.0 flow's own). */
const RECOMMENDATIONS: ReadonlyArray<{ deployment: DeploymentKind; minServerVersion?: string; methods: readonly AuthMethod[] }> = [
  { deployment: 'cloud', methods: ['oauth2', 'basic'] },
  { deployment: 'server', minServerVersion: OAUTH2_DC_MIN_VERSION, methods: ['oauth2', 'pat', 'oauth1'] },
  { deployment: 'server', methods: ['oauth1', 'pat'] },
];

/**
 * The method picker's order: the recommended methods first (in recommendation order), then the
 * others in flow order.
 */
export function orderMethods(methods: readonly AuthMethod[], recommended: readonly AuthMethod[]): AuthMethod[] {
  const first = recommended.filter((m) => methods.includes(m));
  return [...first, ...methods.filter((m) => !first.includes(m))];
}

/** One entry per method, in order of first appearance (the method picker). */
export function methodsOf<F extends { method: AuthMethod }>(flows: readonly F[]): AuthMethod[] {
  const out: AuthMethod[] = [];
  for (const f of flows) if (!out.includes(f.method)) out.push(f.method);
  return out;
}
