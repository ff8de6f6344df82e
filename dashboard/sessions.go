package dashboard

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"
)

// session is a logged-in browser. Its cookie is signed, not stored: the
// value names the user, the session's expiry, the user's session number
// (raised on logout on the writer, published with the accounts) and a
// nonce, followed by an HMAC-SHA256 of them with the session secret. So a
// session started on one server is valid on every server with the same
// secret — the writer and its replicas — and on none without it; nobody can
// make or change one without the secret. The CSRF token is derived from
// the session, so it too is the same on every server.
type session struct {
	user    string
	gen     int64 // the user's session number when it began
	nonce   string
	csrf    string // the token every form of this session must carry
	expires time.Time
}

const sessionTTL = 12 * time.Hour

type sessions struct {
	secret []byte
	mu     sync.Mutex
	ended  map[string]time.Time // nonce → expiry: sessions logged out here
}

// newSessions signs with secret; without one, with a random secret, so
// sessions last as long as the process, as before.
func newSessions(secret []byte) *sessions {
	if len(secret) == 0 {
		secret = make([]byte, 32)
		rand.Read(secret)
	}
	return &sessions{secret: secret, ended: map[string]time.Time{}}
}

func token() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *sessions) sign(purpose, payload string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(purpose + "\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// create starts a session of user, whose session number is gen, and
// returns its cookie value.
func (s *sessions) create(user string, gen int64) (cookie string, sess session) {
	nonce := token()[:32]
	expires := time.Now().Add(sessionTTL).Truncate(time.Second)
	payload := strings.Join([]string{base64.RawURLEncoding.EncodeToString([]byte(user)), strconv.FormatInt(expires.Unix(), 10),
		strconv.FormatInt(gen, 10), nonce}, ".")
	return payload + "." + s.sign("session", payload), s.parse(payload)
}

// get checks a cookie value: signed with our secret, not expired, not
// logged out here.
func (s *sessions) get(cookie string) (session, bool) {
	i := strings.LastIndexByte(cookie, '.')
	if i < 0 || !hmac.Equal([]byte(cookie[i+1:]), []byte(s.sign("session", cookie[:i]))) {
		return session{}, false
	}
	sess := s.parse(cookie[:i])
	if sess.user == "" || time.Now().After(sess.expires) {
		return session{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ended := s.ended[sess.nonce]; ended {
		return session{}, false
	}
	return sess, true
}

// parse reads a signed payload; a field that does not parse leaves the
// session without a user.
func (s *sessions) parse(payload string) session {
	f := strings.Split(payload, ".")
	if len(f) != 4 {
		return session{}
	}
	user, err1 := base64.RawURLEncoding.DecodeString(f[0])
	expires, err2 := strconv.ParseInt(f[1], 10, 64)
	gen, err3 := strconv.ParseInt(f[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return session{}
	}
	return session{user: string(user), gen: gen, nonce: f[3], csrf: s.sign("csrf", payload), expires: time.Unix(expires, 0)}
}

// end logs a session out on this server until it would have expired.
func (s *sessions) end(sess session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for k, exp := range s.ended { // keep the list small
		if now.After(exp) {
			delete(s.ended, k)
		}
	}
	s.ended[sess.nonce] = sess.expires
}

// loginLimiter slows down password guessing. It counts failed attempts per
// key (the client address, the user name): a burst of loginBurst failures,
// then one more every loginForgive. A right password costs nothing, so a
// script that logs in correctly is never held up. While a password is
// checked its attempt holds a place, so parallel guesses cannot slip past.
type loginLimiter struct {
	mu    sync.Mutex
	keys  map[string]*failures
	prune int // prune forgiven keys when the map grows past this
}

type failures struct {
	count   float64   // failures not yet forgiven
	at      time.Time // when count was last brought up to date
	pending int       // attempts being checked
}

const (
	loginBurst   = 5
	loginForgive = 12 * time.Second
)

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{keys: map[string]*failures{}, prune: 10000}
}

// begin starts an attempt under every key; ok is false when one of them is
// used up. The caller reports whether the attempt failed with done.
func (l *loginLimiter) begin(keys ...string) (done func(failed bool), ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	for _, k := range keys {
		if f := l.get(k, now); f.count+float64(f.pending)+1 > loginBurst { // no room for one more failure
			return nil, false
		}
	}
	for _, k := range keys {
		l.keys[k].pending++
	}
	return func(failed bool) {
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, k := range keys {
			f := l.get(k, time.Now())
			f.pending--
			if failed {
				f.count++
			}
		}
	}, true
}

// get returns a key's failures, forgiving those whose time has passed.
func (l *loginLimiter) get(key string, now time.Time) *failures {
	f, ok := l.keys[key]
	if !ok {
		if len(l.keys) >= l.prune {
			l.pruneForgiven(now)
		}
		f = &failures{at: now}
		l.keys[key] = f
	}
	f.count = max(0, f.count-float64(now.Sub(f.at))/float64(loginForgive))
	f.at = now
	return f
}

// pruneForgiven drops the keys that hold nothing any more.
func (l *loginLimiter) pruneForgiven(now time.Time) {
	for k, f := range l.keys {
		if f.pending == 0 && f.count <= float64(now.Sub(f.at))/float64(loginForgive) {
			delete(l.keys, k)
		}
	}
	l.prune = max(10000, 2*len(l.keys))
}
