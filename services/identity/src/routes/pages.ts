/**
 * The provider's own pages: Vietnamese first, English under it, no external assets (the stack
 * runs offline), everything interpolated is HTML-escaped.
 */

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const style = `
  body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f4f6f8;margin:0;color:#1f2933}
  main{max-width:360px;margin:48px auto;background:#fff;padding:24px 28px;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
  h1{font-size:1.3em;margin:0 0 4px}
  .en{color:#4a5561;font-size:.85em;font-weight:normal}
  .error .en{color:inherit}
  label{display:block;margin:14px 0 4px;font-weight:600}
  input{width:100%;box-sizing:border-box;padding:8px;font-size:1em;border:1px solid #c4cdd5;border-radius:4px}
  button{margin-top:18px;width:100%;padding:10px;font-size:1em;border:0;border-radius:4px;background:#0b6e4f;color:#fff;cursor:pointer}
  button.secondary{background:#e4e7eb;color:#1f2933}
  .error{background:#fdecea;color:#8a1c1c;border:1px solid #f5c2c0;padding:8px 10px;border-radius:4px;margin-top:12px}
  .note{font-size:.8em;color:#4a5561;margin-top:18px}
  a{color:#0b6e4f}
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export interface LoginPageOptions {
  /** Where the form posts (the interaction's login route). */
  action: string;
  abortUrl: string;
  clientName: string;
  username?: string;
  /** Shown above the form, e.g. after a wrong password. */
  error?: { vi: string; en: string };
}

export function loginPage(options: LoginPageOptions): string {
  const error = options.error
    ? `<p class="error" role="alert">${escapeHtml(options.error.vi)}<br><span class="en">${escapeHtml(options.error.en)}</span></p>`
    : '';
  return page(
    'Đăng nhập — Mạng lưới kết nối và chuyển tuyến dịch vụ',
    `<h1>Đăng nhập <span class="en">/ Sign in</span></h1>
<p>vào ${escapeHtml(options.clientName)}</p>
${error}
<form method="post" action="${escapeHtml(options.action)}" autocomplete="on">
  <label for="username">Tên đăng nhập <span class="en">/ Username</span></label>
  <input id="username" name="username" required${options.username ? '' : ' autofocus'} autocapitalize="off" spellcheck="false" value="${escapeHtml(options.username ?? '')}">
  <label for="password">Mật khẩu <span class="en">/ Password</span></label>
  <input id="password" name="password" type="password" required${options.username ? ' autofocus' : ''}>
  <button type="submit">Đăng nhập <span class="en" style="color:#d8f3e8">/ Sign in</span></button>
</form>
<p class="note"><a href="${escapeHtml(options.abortUrl)}">Huỷ <span class="en">/ Cancel</span></a></p>
<p class="note">Máy chủ đăng nhập thử nghiệm: chỉ dùng tài khoản demo (services/identity/README.md).<br>
<span class="en">Local demo sign-in: demo accounts only.</span></p>`,
  );
}

export function messagePage(title: { vi: string; en: string }, lines: string[], extra = ''): string {
  return page(
    title.vi,
    `<h1>${escapeHtml(title.vi)} <span class="en">/ ${escapeHtml(title.en)}</span></h1>
${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
${extra}`,
  );
}
