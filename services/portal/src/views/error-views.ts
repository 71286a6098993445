import { html } from './html';
import { page, say, type PageContext } from './layout';

export type ErrorKind =
  | 'session-expired'
  | 'signed-out'
  | 'forbidden'
  | 'not-found'
  | 'service-unavailable'
  | 'server-error'
  | 'sign-in-failed'
  | 'bad-request'
  | 'too-many-requests';

/** Every error a person can meet, in words they understand, with what to do next. */
export function errorPage(ctx: PageContext, kind: ErrorKind, detail?: string, requestId?: string): string {
  const signInAgain = html`<p>
    <a class="button" href="/sign-in?return=${encodeURIComponent(ctx.path)}"
      >${say(ctx, 'Đăng nhập lại', 'Sign in again')}</a
    >
  </p>`;
  const home = html`<p><a href="/">${say(ctx, 'Về trang chính', 'Back to the start page')}</a></p>`;
  const reference = requestId
    ? html`<p class="muted">
        ${say(ctx, 'Mã tra cứu cho bộ phận kỹ thuật', 'Reference for the support team')}: <code>${requestId}</code>
      </p>`
    : '';
  const explain = detail ? html`<p class="detail">${detail}</p>` : '';
  const content = {
    'session-expired': {
      title: say(ctx, 'Phiên làm việc đã hết hạn', 'Your session has expired'),
      body: html`<p>
          ${say(
            ctx,
            'Bạn đã không thao tác trong một thời gian hoặc đã đăng xuất. Để bảo vệ thông tin của trẻ, vui lòng đăng nhập lại. Những gì bạn vừa nhập chưa được lưu.',
            'You were inactive for a while or signed out. To protect children’s information, please sign in again. What you just entered was not saved.',
          )}
        </p>
        ${signInAgain}`,
    },
    'signed-out': {
      title: say(ctx, 'Bạn đã đăng xuất', 'You have signed out'),
      body: html`<p><a class="button" href="/sign-in">${say(ctx, 'Đăng nhập', 'Sign in')}</a></p>`,
    },
    forbidden: {
      title: say(ctx, 'Bạn không có quyền xem trang này', 'You may not see this page'),
      body: html`<p>
          ${say(
            ctx,
            'Tài khoản của bạn không được giao việc này, hoặc hồ sơ thuộc đơn vị khác. Nếu bạn cần quyền, hãy liên hệ người quản lý của đơn vị.',
            'Your account is not assigned this work, or the record belongs to another unit. If you need access, ask your unit’s manager.',
          )}
        </p>
        ${explain}${home}`,
    },
    'not-found': {
      title: say(ctx, 'Không tìm thấy', 'Not found'),
      body: html`<p>
          ${say(
            ctx,
            'Trang hoặc hồ sơ này không tồn tại, hoặc không thuộc đơn vị của bạn.',
            'This page or record does not exist, or does not belong to your unit.',
          )}
        </p>
        ${explain}${home}`,
    },
    'service-unavailable': {
      title: say(ctx, 'Hệ thống tạm thời gián đoạn', 'The system is temporarily unavailable'),
      body: html`<p>
          ${say(
            ctx,
            'Một dịch vụ của hệ thống đang không trả lời. Dữ liệu của bạn không bị mất. Vui lòng thử lại sau ít phút; nếu vẫn lỗi, hãy báo bộ phận kỹ thuật kèm mã tra cứu bên dưới.',
            'A part of the system is not answering. Your data is not lost. Please try again in a few minutes; if it persists, tell the support team the reference below.',
          )}
        </p>
        ${explain}${reference}
        <p><a class="button" href="${ctx.path}">${say(ctx, 'Thử lại', 'Try again')}</a></p>`,
    },
    'server-error': {
      title: say(ctx, 'Đã xảy ra lỗi', 'Something went wrong'),
      body: html`<p>
          ${say(
            ctx,
            'Hệ thống gặp lỗi khi xử lý yêu cầu của bạn. Vui lòng thử lại; nếu vẫn lỗi, hãy báo bộ phận kỹ thuật kèm mã tra cứu bên dưới.',
            'The system failed while handling your request. Please try again; if it persists, tell the support team the reference below.',
          )}
        </p>
        ${reference}${home}`,
    },
    'sign-in-failed': {
      title: say(ctx, 'Không đăng nhập được', 'Sign-in failed'),
      body: html`<p>
          ${say(
            ctx,
            'Máy chủ đăng nhập đã từ chối hoặc không trả lời. Vui lòng thử đăng nhập lại.',
            'The sign-in server refused or did not answer. Please try signing in again.',
          )}
        </p>
        ${explain}${reference}${signInAgain}`,
    },
    'bad-request': {
      title: say(ctx, 'Yêu cầu không hợp lệ', 'The request was not valid'),
      body: html`<p>
          ${say(
            ctx,
            'Biểu mẫu đã hết hạn hoặc thiếu thông tin. Vui lòng quay lại, tải lại trang và thử lại.',
            'The form expired or was incomplete. Please go back, reload the page and try again.',
          )}
        </p>
        ${explain}${home}`,
    },
    'too-many-requests': {
      title: say(ctx, 'Quá nhiều yêu cầu', 'Too many requests'),
      body: html`<p>
          ${say(
            ctx,
            'Có quá nhiều yêu cầu từ địa chỉ này trong thời gian ngắn. Vui lòng đợi rồi thử lại.',
            'Too many requests came from this address in a short time. Please wait, then try again.',
          )}
        </p>
        ${explain}${home}`,
    },
  }[kind];
  return page(ctx, content.title, html`<div class="error-page" data-error="${kind}">${content.body}</div>`);
}
