package dashboard

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"golang.org/x/time/rate"
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

// loginLimiter slows down password guessing: per client address, a burst of
// 5 attempts, then one every 12 seconds.
type loginLimiter struct {
	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

func newLoginLimiter() *loginLimiter { return &loginLimiter{limiters: map[string]*rate.Limiter{}} }

func (l *loginLimiter) allow(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.limiters[client]
	if !ok {
		if len(l.limiters) > 10000 {
			l.limiters = map[string]*rate.Limiter{}
		}
		lim = rate.NewLimiter(rate.Every(12*time.Second), 5)
		l.limiters[client] = lim
	}
	return lim.Allow()
}
