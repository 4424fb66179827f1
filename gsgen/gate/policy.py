"""The security posture every page declares: a Content-Security-Policy and a referrer policy.

Scripts only from the site itself (no inline script, no eval), nothing embedded but government
pages, no plugins, forms posting only to the site. Inline styles stay allowed: the style gate (css.py)
has already judged each of them, and Markdown tables align their cells with them.

A `<meta>` policy cannot say `frame-ancestors` (who may frame the page): that header, and the rest of
the web server's part, is in docs/deploy.md.
"""

from __future__ import annotations

REFERRER_POLICY = "strict-origin-when-cross-origin"
_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' https://*.gov.cn",
    "media-src 'self' https://*.gov.cn",
    "frame-src https://*.gov.cn",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
CONTENT_SECURITY_POLICY = "; ".join(_DIRECTIVES)


def weak_policy_problem(policy: str | None) -> str | None:
    """Why a page's declared policy does not keep out injected scripts, or None."""
    if not policy:
        return '页面缺少 <meta http-equiv="Content-Security-Policy">：gsgen 主题在 base.html 中输出 {{ csp }}，自定义模板请保留'
    directives = {part.split()[0].lower(): part.split()[1:] for part in policy.split(";") if part.split()}
    scripts = directives.get("script-src") or directives.get("default-src")
    if scripts is None:
        return "Content-Security-Policy 没有限制脚本来源（script-src）"
    weak = [s for s in scripts if s.lower() in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")]
    if weak:
        return f"Content-Security-Policy 的 script-src 含有 {' '.join(weak)}：只能允许本站脚本（'self'）"
    return None
