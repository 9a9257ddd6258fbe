/**
 * The console's shell: sign-in with a bearer token (asked of GET /auth/whoami), the pages the role may read,
 * the language switch, and hash routes (#/overview, #/timeline/<caseId>) so every page has a link.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api } from './api';
import { ErrorNotice } from './components';
import type { Language } from './format';
import { LANGUAGES } from './format';
import type { MessageKey } from './i18n/i18n';
import { I18n, initialLanguage, translate, useI18n } from './i18n/i18n';
import { CompliancePage } from './pages/compliance';
import { EarlyWarningPage } from './pages/early-warning';
import { EscalationPage } from './pages/escalation';
import { OverviewPage } from './pages/overview';
import { ProjectionsPage } from './pages/projections';
import { TimelinePage } from './pages/timeline';
import { WhatIfPage } from './pages/what-if';
import type { PageId, Role } from './roles';
import { PAGE_ORDER, mayRead } from './roles';
import { savedLanguage, session } from './session';

const TITLES: Record<PageId, MessageKey> = {
  overview: 'page.overview',
  escalation: 'page.escalation',
  earlyWarning: 'page.earlyWarning',
  timeline: 'page.timeline',
  compliance: 'page.compliance',
  projections: 'page.projections',
  whatIf: 'page.whatIf',
};
const SLUGS: Record<PageId, string> = {
  overview: 'overview',
  escalation: 'escalation',
  earlyWarning: 'early-warning',
  timeline: 'timeline',
  compliance: 'compliance',
  projections: 'projections',
  whatIf: 'what-if',
};

function readRoute(): { slug: string; arg?: string } {
  const [slug = '', arg] = location.hash.replace(/^#\/?/, '').split('/');
  return { slug, arg: arg ? decodeURIComponent(arg) : undefined };
}

function useRoute() {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const onChange = () => setRoute(readRoute());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** The chosen language (saved, else the browser's) and the translations of it; the document follows it. */
function useLanguage() {
  const [language, setLanguage] = useState<Language>(() => initialLanguage(savedLanguage.read(), navigator.languages ?? [navigator.language]));
  const i18n = useMemo(() => ({ language, t: (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params) }), [language]);
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    document.title = i18n.t('app.title');
    savedLanguage.write(language);
  }, [language]);
  return { i18n, setLanguage };
}

/** Who is signed in: the role the API gives the saved token (asked again on load), and whether early warnings answer. */
function useSignIn() {
  const [role, setRole] = useState<Role | null>(null);
  const [checking, setChecking] = useState(() => session.token() !== null);
  const [signInError, setSignInError] = useState<ApiError | undefined>();
  const [earlyWarning, setEarlyWarning] = useState(false);

  async function identify(token: string) {
    setChecking(true);
    try {
      const { role: found } = await api.get<{ role: Role }>('/auth/whoami', token);
      session.signIn(token);
      setSignInError(undefined);
      // Early warnings are shown only when this API answers them (404 on a release without them).
      const warnings = mayRead(found, 'earlyWarning')
        ? await api.get('/views/early-warning', token).then(
            () => true,
            () => false,
          )
        : false;
      setEarlyWarning(warnings);
      setRole(found);
    } catch (error) {
      session.signOut();
      setRole(null);
      setSignInError(error instanceof ApiError ? error : new ApiError(0, String(error)));
    } finally {
      setChecking(false);
    }
  }

  useEffect(() => {
    const token = session.token();
    if (token) void identify(token);
  }, []);

  const signOut = () => {
    session.signOut();
    setRole(null);
  };
  return { role, checking, signInError, earlyWarning, identify, signOut };
}

/** The pages the role may read and the one the route names (the first when it names none of them). */
function usePages(role: Role | null, earlyWarning: boolean, slug: string) {
  const pages = role ? PAGE_ORDER.filter((p) => mayRead(role, p) && (p !== 'earlyWarning' || earlyWarning)) : [];
  const current = pages.find((p) => SLUGS[p] === slug) ?? pages[0];
  useEffect(() => {
    if (current && SLUGS[current] !== slug) history.replaceState(null, '', `#/${SLUGS[current]}`);
  }, [current, slug]);
  return { pages, current };
}

export function App() {
  const { i18n, setLanguage } = useLanguage();
  const { role, checking, signInError, earlyWarning, identify, signOut } = useSignIn();
  const route = useRoute();
  const { pages, current } = usePages(role, earlyWarning, route.slug);
  const { t } = i18n;
  return (
    <I18n.Provider value={i18n}>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('app.skip')}
      </a>
      <TopBar role={role} setLanguage={setLanguage} signOut={signOut} />
      {role && pages.length > 0 && <PageNav pages={pages} current={current} />}
      <main id="main" tabIndex={-1}>
        {!role && <SignIn busy={checking} error={signInError} onSignIn={(token) => void identify(token)} />}
        {role && pages.length === 0 && <p role="status">{t('app.nothingToRead', { role: t(`role.${role}`) })}</p>}
        {role && current && <CurrentPage role={role} current={current} arg={route.arg} />}
      </main>
    </I18n.Provider>
  );
}

function TopBar({ role, setLanguage, signOut }: { role: Role | null; setLanguage: (language: Language) => void; signOut: () => void }) {
  const { t, language } = useI18n();
  return (
    <header class="top">
      <span class="brand">{t('app.title')}</span>
      <div class="languages" role="group" aria-label={t('app.language')}>
        {LANGUAGES.map((l) => (
          <button key={l} type="button" lang={l === 'zh' ? 'zh-CN' : 'en'} aria-pressed={language === l} onClick={() => setLanguage(l)}>
            {l === 'zh' ? '简体中文' : 'English'}
          </button>
        ))}
      </div>
      {role && (
        <div class="who">
          <span id="signed-in-role" data-role={role}>
            {t('app.signedInAs', { role: t(`role.${role}`) })}
          </span>
          <button type="button" onClick={signOut}>
            {t('app.signOut')}
          </button>
        </div>
      )}
    </header>
  );
}

function PageNav({ pages, current }: { pages: PageId[]; current?: PageId }) {
  const { t } = useI18n();
  return (
    <nav aria-label={t('app.pages')}>
      <ul>
        {pages.map((p) => (
          <li key={p}>
            <a href={`#/${SLUGS[p]}`} aria-current={p === current ? 'page' : undefined} data-page={SLUGS[p]}>
              {t(TITLES[p])}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function CurrentPage({ role, current, arg }: { role: Role; current: PageId; arg?: string }) {
  const { t } = useI18n();
  return (
    <>
      <h1>{t(TITLES[current])}</h1>
      {current === 'overview' && <OverviewPage role={role} />}
      {current === 'escalation' && <EscalationPage canOpenTimeline={mayRead(role, 'timeline')} />}
      {current === 'earlyWarning' && <EarlyWarningPage />}
      {current === 'timeline' && <TimelinePage role={role} caseId={arg} open={(id) => (location.hash = `#/timeline/${encodeURIComponent(id)}`)} />}
      {current === 'compliance' && <CompliancePage />}
      {current === 'projections' && <ProjectionsPage />}
      {current === 'whatIf' && <WhatIfPage />}
    </>
  );
}

function SignIn({ busy, error, onSignIn }: { busy: boolean; error?: ApiError; onSignIn: (token: string) => void }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  return (
    <form
      class="sign-in stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (token.trim()) onSignIn(token.trim());
      }}
    >
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.hint')}</p>
      <label for="token">{t('signIn.token')}</label>
      <input id="token" type="password" autoComplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} required />
      <div>
        <button type="submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </div>
      {error && <ErrorNotice error={error.status === 401 ? new ApiError(401, t('signIn.rejected')) : error} />}
    </form>
  );
}
