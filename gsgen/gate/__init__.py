"""The gate: what every byte that reaches the output must pass.

A government portal is a target (暗链, 挂马 and defacement are inspection vetoes), and every input —
content, front matter, config.yaml, structured items, themes, the build cache — is treated as
untrusted. The same few judgements apply wherever an input enters and again on what leaves:

- `urls`: a URL is read as a browser reads it (WHATWG, through ada) and only https, http, mailto:,
  tel: and URLs on the site itself may appear in a page; resources and frames come only from the
  site itself or government hosts.
- `css`: inline styles may align and emphasise text; a declaration that hides, positions or loads
  is refused; colours are parsed and written back in one form, never pasted.
- `files`: content/ publishes only passive files that pages use; SVG only as svg-hush cleans it.
- `attachments`: what those files hold, read by format: no scripts, macros, programs, outside
  references or fields in a PDF, an Office file or a ZIP, and every file's bytes what its name says.
- `policy`: every page carries a Content-Security-Policy allowing only the site's own scripts.

Where a check runs: at the source, as the files are read (load.py, config.py, theme.py) and by the
content rules (rules/content.py), so that an editor hears of a problem at their file and line; and
on every rendered page (rules/safety.py), so that no template, setting or bug gets around it. The
files under content/ are checked where an item or config.yaml names them (rules/attachments.py,
SAFE-FILE), and any other file a page publishes as the build writes it (build.py).
"""
