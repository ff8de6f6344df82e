package dashboard

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// session is a logged-in browser. Sessions live in memory: a restart logs
// everyone out, which is acceptable for a tool run by one organisation.
type session struct {
	user    string
	csrf    string // the token every form of this session must carry
	expires time.Time
}

const sessionTTL = 12 * time.Hour

type sessions struct {
	mu   sync.Mutex
	byID map[string]session
}

func newSessions() *sessions { return &sessions{byID: map[string]session{}} }

func token() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *sessions) create(user string) (id string, sess session) {
	id = token()
	sess = session{user: user, csrf: token(), expires: time.Now().Add(sessionTTL)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byID[id] = sess
	for k, v := range s.byID { // keep the map small
		if time.Now().After(v.expires) {
			delete(s.byID, k)
		}
	}
	return id, sess
}

func (s *sessions) get(id string) (session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.byID[id]
	if !ok || time.Now().After(sess.expires) {
		return session{}, false
	}
	return sess, true
}

func (s *sessions) delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, id)
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
