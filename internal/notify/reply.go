package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// ReplyToken signs the pair (incident, person) for a reply address: an
// email to mailbox+TOKEN@domain counts as that person's reply about that
// incident only when it comes from that person's address and carries the
// incident's thread (References or In-Reply-To), and the token matches.
func ReplyToken(secret []byte, incident, person string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("sev-reply-v1\x00" + incident + "\x00" + person))
	return hex.EncodeToString(m.Sum(nil))[:24]
}

// ReplyAddress is mailbox with the token as its +detail.
func ReplyAddress(mailbox, token string) string {
	local, domain, ok := strings.Cut(mailbox, "@")
	if !ok {
		return ""
	}
	return local + "+" + token + "@" + domain
}

// CheckReplyToken reports whether token signs (incident, person).
func CheckReplyToken(secret []byte, token, incident, person string) bool {
	return hmac.Equal([]byte(token), []byte(ReplyToken(secret, incident, person)))
}
