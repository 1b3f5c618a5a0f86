// Package attachment is the policy for publishing an incident's attached
// files on the site: attachments are data, never code.
//
// A static host (GitHub Pages, S3, nginx) picks a file's Content-Type from
// its extension, and one that does not know an extension may guess from
// the content (Go's http.FileServer and servers built on it do); a browser
// runs what it is given as HTML, SVG or XML with the site's own origin.
// So:
//
//   - Raster images (PNG, JPEG, GIF, WebP, AVIF) and PDF keep their name
//     and are shown in the browser: every host, Go's built-in table
//     included, knows these extensions, and no browser runs script from
//     an image or a PDF served as such.
//   - Text (valid UTF-8 without NUL bytes: logs, CSV, diffs, JSON, .txt)
//     is shown on a page sev renders, NAME.html, escaped like every other
//     text of the site and under its Content-Security-Policy.
//   - Every file that is not an image or a PDF — text, HTML, SVG,
//     JavaScript, archives, unknown types — is downloadable inside a ZIP
//     archive, NAME.zip: hosts serve .zip as application/zip, and a host
//     that guesses sees the ZIP signature, never HTML. (NAME.bin would be
//     guessed as HTML by such a host; NAME.gz can be served with
//     Content-Encoding: gzip and the inner type.)
//
// sev serve adds Content-Disposition: attachment and a sandboxing
// Content-Security-Policy to downloads.
package attachment

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// inline maps the extensions shown in the browser to their media types.
var inline = map[string]string{
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".webp": "image/webp",
	".avif": "image/avif",
	".pdf":  "application/pdf",
}

// DownloadSuffix is added to the name of an attachment that is published
// as a download.
const DownloadSuffix = ".zip"

// Inline reports whether an attachment named name is shown in the browser
// (its type is inert); false means it is published as a download.
func Inline(name string) bool {
	_, ok := inline[strings.ToLower(path.Ext(name))]
	return ok
}

// Published is the file name an attachment gets on the site. Two different
// names never publish to the same file: an inline name never ends in .bin.
func Published(name string) string {
	if Inline(name) {
		return name
	}
	return name + DownloadSuffix
}

// ContentType is the media type a server should send for a published file
// name, and whether the browser may show it (false: a download).
func ContentType(published string) (string, bool) {
	if t, ok := inline[strings.ToLower(path.Ext(published))]; ok {
		return t, true
	}
	if strings.HasSuffix(published, DownloadSuffix) {
		return "application/zip", false
	}
	return "application/octet-stream", false
}

// Content is what is published for an attachment: the file itself when it
// is shown inline, else a ZIP archive holding it under its name. The
// archive is the same bytes for the same file (a fixed time stamp), so
// one commit builds the same site.
func Content(name string, data []byte) ([]byte, error) {
	if Inline(name) {
		return data, nil
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: path.Base(name), Method: zip.Deflate,
		Modified: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Kinds describes the inline types for messages.
const Kinds = "PNG, JPEG, GIF, WebP, AVIF and PDF"

// active are extensions of types a browser runs script from.
var active = map[string]bool{".html": true, ".htm": true, ".xhtml": true, ".xht": true, ".shtml": true, ".svg": true, ".svgz": true,
	".xml": true, ".xsl": true, ".xslt": true, ".js": true, ".mjs": true, ".cjs": true, ".swf": true, ".mht": true, ".mhtml": true}

// Active reports whether a browser would run script from a file of this
// name if it were served by its extension: such an attachment is only
// ever a download (or a text page), which sev attach and sev validate
// point out.
func Active(name string) bool { return active[strings.ToLower(path.Ext(name))] }

// PageSuffix is added to the name of a text attachment for the page that
// shows it.
const PageSuffix = ".html"

// Text reports whether an attachment that is not shown inline is text the
// site shows on a page: valid UTF-8 without NUL bytes.
func Text(name string, data []byte) bool {
	return !Inline(name) && utf8.Valid(data) && bytes.IndexByte(data, 0) < 0
}

// Listed reports whether the file at name, a path relative to an
// incident's attachments/ folder, is one of its attachments as the site
// publishes them and search reads them: a file directly in the folder
// whose name does not start with a dot.
func Listed(name string) bool {
	return fs.ValidPath(name) && path.Base(name) == name && name[0] != '.'
}
