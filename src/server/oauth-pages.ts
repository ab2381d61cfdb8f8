/**
 * The accounts pages a user sees: sign in, consent, and errors that cannot go back to the app.
 * Plain server-rendered HTML with inline styles: no scripts, no external assets.
 */
const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f3f5f8;
  font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b2430}
main{width:100%;max-width:26rem;margin:1.5rem;background:#fff;border:1px solid #d9dee6;border-radius:12px;
  padding:2rem 2rem 1.75rem;box-shadow:0 1px 3px rgba(16,24,40,.06)}
.brand{margin:0 0 1.25rem;font-size:.875rem;font-weight:600;letter-spacing:.02em;color:#3b4a5c}
h1{font-size:1.375rem;line-height:1.3;margin:0 0 .5rem}
p{margin:0 0 1rem}
.muted{color:#4a5668;font-size:.9375rem}
label{display:block;font-weight:600;margin:1rem 0 .375rem}
input{width:100%;padding:.625rem .75rem;font:inherit;border:1px solid #8a96a8;border-radius:8px;background:#fff;color:inherit}
button{font:inherit;font-weight:600;padding:.625rem 1.25rem;border-radius:8px;border:1px solid transparent;cursor:pointer}
.primary{background:#1f5bd8;color:#fff}
.primary:hover{background:#1849b0}
.secondary{background:#fff;color:#1b2430;border-color:#8a96a8}
.secondary:hover{background:#eef1f5}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid #7aa2f7;outline-offset:2px}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
.actions.end{justify-content:flex-end}
.full{width:100%;margin-top:1.5rem}
.alert{border:1px solid #e2a3a3;background:#fdf1f1;color:#8a1c1c;border-radius:8px;padding:.625rem .875rem;margin:0 0 1rem}
ul.scopes{list-style:none;margin:0 0 .5rem;padding:0;border:1px solid #e3e7ee;border-radius:8px}
ul.scopes li{padding:.625rem .875rem;border-top:1px solid #e3e7ee}
ul.scopes li:first-child{border-top:0}
ul.scopes code{display:block;font-size:.8125rem;color:#4a5668;word-break:break-all}
.foot{margin:1.25rem 0 0;font-size:.8125rem;color:#4a5668}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)} · zcrm-local Accounts</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="brand">zcrm-local Accounts</p>
${body}
</main>
</body>
</html>`;
}

export interface SignInView {
  action: string;
  clientName: string;
  orgName: string;
  email?: string;
  error?: string;
}

export function signInPage(v: SignInView): string {
  const alert = v.error ? `<p class="alert" role="alert">${esc(v.error)}</p>` : '';
  return page('Sign in', `<h1>Sign in</h1>
<p class="muted">to continue to <strong>${esc(v.clientName)}</strong> with your ${esc(v.orgName)} account.</p>
${alert}<form method="post" action="${esc(v.action)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${esc(v.email ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button class="primary full" type="submit">Sign in</button>
</form>`);
}

export interface ConsentView {
  action: string;
  csrf: string;
  clientName: string;
  orgName: string;
  email: string;
  scopes: string[];
}

export function consentPage(v: ConsentView): string {
  const items = v.scopes.map((s) => `<li>${esc(describeScope(s))}<code>${esc(s)}</code></li>`).join('\n');
  return page('Allow access', `<h1><strong>${esc(v.clientName)}</strong> would like to access your data</h1>
<p class="muted">Signed in as ${esc(v.email)} · ${esc(v.orgName)}</p>
<p id="scopes-heading">It asks to:</p>
<ul class="scopes" aria-labelledby="scopes-heading">
${items}
</ul>
<form method="post" action="${esc(v.action)}">
<input type="hidden" name="csrf" value="${esc(v.csrf)}">
<div class="actions end">
<button class="secondary" type="submit" name="decision" value="deny">Deny</button>
<button class="primary" type="submit" name="decision" value="accept">Accept</button>
</div>
</form>
<p class="foot">You can revoke this access at any time.</p>`);
}

const PAGE_ERRORS: Record<string, { title: string; text: string }> = {
  invalid_client: { title: 'Invalid client', text: 'The application asking for access is not known to this accounts server (check the client id and the data centre).' },
  invalid_redirect_uri: { title: 'Invalid redirect URI', text: 'The redirect URI passed does not match any URI registered for this client.' },
  session_expired: { title: 'Please start again', text: 'Your sign-in session has expired or this form was not sent from this page. Go back to the application and try again.' },
};

export function errorPage(error: string): string {
  const e = PAGE_ERRORS[error] ?? { title: 'Something went wrong', text: error };
  return page(e.title, `<h1>${esc(e.title)}</h1>
<p class="alert" role="alert">${esc(e.text)}</p>
<p class="foot">Error code: <code>${esc(error)}</code></p>`);
}

const OPERATIONS: Record<string, string> = {
  all: 'Read, create, change and delete', read: 'Read', create: 'Create', write: 'Create and change', update: 'Change', delete: 'Delete',
};

/** A sentence for a scope a user can understand; the raw scope is shown beside it. */
export function describeScope(scope: string): string {
  const parts = scope.toLowerCase().split('.');
  const [service, area] = parts;
  const op = OPERATIONS[parts[parts.length - 1] ?? ''];
  if (service === 'zohocrm') {
    if (area === 'modules' && op) return parts.length === 3 ? `${op} records in every module` : `${op} ${scope.split('.')[2]} records`;
    if (area === 'settings') return 'Read CRM settings and metadata';
    if (area === 'users') return 'See the users of your organisation';
    if (area === 'org') return "See your organisation's details";
    if (area === 'bulk') return op === 'Read' ? 'Run bulk reads' : 'Run bulk reads and writes';
    return 'Use Zoho CRM on your behalf';
  }
  if (service === 'aaaserver' && area === 'profile') return 'See your name and email address';
  if (service === 'profile' && area === 'userphoto') return 'See your profile photo';
  if (service === 'zohofiles') return 'Read and manage your files';
  return `Use ${scope.split('.')[0]} on your behalf`;
}
