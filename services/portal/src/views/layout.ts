import { html, type SafeHtml } from './html';
import { roleLabel, facilityRoles, type Lang } from './labels';
import type { StaffMember } from '../sign-in/oidc-client';

/** What every page needs to know about the request it answers. */
export interface PageContext {
  lang: Lang;
  /** Path and query of this page, for the language switch to come back to. */
  path: string;
  staff?: StaffMember;
  csrfToken?: string;
}

/** Picks the Vietnamese or English text. */
export const say = (ctx: Pick<PageContext, 'lang'>, vi: string, en: string) => (ctx.lang === 'en' ? en : vi);

export const csrfField = (ctx: PageContext) =>
  html`<input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ''}" />`;

function navigation(ctx: PageContext): SafeHtml {
  const staff = ctx.staff;
  if (!staff) return html``;
  const links: [string, string][] = [];
  if (staff.role === 'intake-staff') {
    links.push(['/children', say(ctx, 'Trẻ em', 'Children')], ['/cases', say(ctx, 'Hồ sơ', 'Cases')]);
  }
  if (facilityRoles[staff.role]) links.push(['/inbox', say(ctx, 'Hộp chuyển tuyến', 'Referral inbox')]);
  if (staff.role === 'protection-officer') links.push(['/board', say(ctx, 'Bảng cảnh báo', 'Escalation board')]);
  if (staff.role === 'protection-officer' || staff.role === 'commune-chairman') {
    links.push(
      ['/protection-cases', say(ctx, 'Hồ sơ bảo vệ', 'Protection cases')],
      ['/special-circumstances', say(ctx, 'Trẻ HCĐB', 'Special circumstances')],
    );
  }
  if (staff.role === 'supervisor') {
    links.push(
      ['/board', say(ctx, 'Bảng cảnh báo', 'Escalation board')],
      ['/special-circumstances/summary', say(ctx, 'Trẻ HCĐB', 'Special circumstances')],
    );
  }
  if (['supervisor', 'commune-chairman', 'protection-officer', 'intake-staff'].includes(staff.role)) {
    links.push(['/dashboard', say(ctx, 'Thống kê', 'Dashboard')]);
  }
  if (staff.role === 'supervisor' || staff.role === 'commune-chairman') {
    links.push(['/directory', say(ctx, 'Danh bạ dịch vụ', 'Service directory')]);
  }
  const current = ctx.path.split('?')[0]!;
  return html`<nav aria-label="${say(ctx, 'Điều hướng chính', 'Main navigation')}">
    <ul>
      ${links.map(
        ([href, label]) =>
          html`<li>
            <a href="${href}" ${current === href || current.startsWith(`${href}/`) ? html` aria-current="page"` : ''}
              >${label}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

/** The page frame: skip link, header with who is signed in, language switch, sign-out, main. */
export function page(ctx: PageContext, title: string, body: SafeHtml, options: { live?: string } = {}): string {
  const other: Lang = ctx.lang === 'vi' ? 'en' : 'vi';
  const switchHref = `/language?to=${other}&return=${encodeURIComponent(ctx.path)}`;
  return html`<!doctype html>
    <html lang="${ctx.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${say(ctx, 'Mạng lưới chuyển tuyến trẻ em', 'Child referral network')}</title>
        <link rel="stylesheet" href="/static/portal.css" />
        <script src="/static/portal.js" defer></script>
        ${ctx.staff?.role === 'protection-officer' ? html`<script src="/static/notifications.js" defer></script>` : ''}
      </head>
      <body data-lang="${ctx.lang}" ${options.live ? html` data-live="${options.live}"` : ''}>
        <a class="skip" href="#main">${say(ctx, 'Bỏ qua, đến nội dung chính', 'Skip to main content')}</a>
        <header class="top">
          <div class="brand">
            <a href="/">${say(ctx, 'Mạng lưới chuyển tuyến trẻ em', 'Child referral network')}</a>
          </div>
          ${
            ctx.staff
              ? html`<p class="who">
                  <span>${ctx.staff.name}</span> · <span>${roleLabel(ctx.staff.role, ctx.lang)}</span>${
                    ctx.staff.unitCode || ctx.staff.facilityId
                      ? html` · <span>${ctx.staff.facilityId ?? ctx.staff.unitCode}</span>`
                      : ''
                  }
                </p>`
              : ''
          }
          <div class="tools">
            <a href="${switchHref}" lang="${other}" hreflang="${other}"
              >${ctx.lang === 'vi' ? 'English' : 'Tiếng Việt'}</a
            >
            ${
              ctx.staff
                ? html`<form method="post" action="/sign-out" class="inline">
                    ${csrfField(ctx)}<button type="submit" class="link">${say(ctx, 'Đăng xuất', 'Sign out')}</button>
                  </form>`
                : ''
            }
          </div>
          ${navigation(ctx)}
        </header>
        <main id="main" tabindex="-1">
          <h1>${title}</h1>
          <div id="live-status" class="visually-hidden" role="status" aria-live="polite"></div>
          ${
            ctx.staff?.role === 'protection-officer'
              ? html`<section id="notifications" class="notice info" aria-live="polite" hidden>
                  <h2 class="item-title">${say(ctx, 'Thông báo', 'Notifications')}</h2>
                  <ul></ul>
                </section>`
              : ''
          }
          <div data-live-region>${body}</div>
        </main>
      </body>
    </html>`.value;
}

/** A message box; `role=alert` for errors so screen readers announce it. */
export const notice = (kind: 'error' | 'warning' | 'success' | 'info', content: SafeHtml | string) =>
  kind === 'error'
    ? html`<div class="notice error" role="alert">${content}</div>`
    : html`<div class="notice ${kind}" role="status">${content}</div>`;
