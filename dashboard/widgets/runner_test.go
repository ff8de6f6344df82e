package widgets

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// probe is a widget whose Load takes a while, fails or blocks until its
// context ends, counting how many probes load at once.
type probe struct {
	name    string
	take    time.Duration
	fail    error
	block   bool
	running *atomic.Int32
	peak    *atomic.Int32
}

func (p *probe) Name() string { return p.name }

func (p *probe) Load(ctx context.Context, _ Deps, _ View) error {
	n := p.running.Add(1)
	defer p.running.Add(-1)
	for peak := p.peak.Load(); n > peak && !p.peak.CompareAndSwap(peak, n); peak = p.peak.Load() {
	}
	if p.block {
		<-ctx.Done()
		return ctx.Err()
	}
	time.Sleep(p.take)
	return p.fail
}

func (p *probe) Render(Deps, View) Output { return Output{Data: p.name} }

func TestRunLoadsSideBySideAndShowsWhatLoaded(t *testing.T) {
	var running, peak atomic.Int32
	failed := errors.New("the database is gone")
	w := func(name string, take time.Duration, fail error, block bool) *probe {
		return &probe{name, take, fail, block, &running, &peak}
	}
	list := []Widget{
		w("a", 20*time.Millisecond, nil, false), w("b", 20*time.Millisecond, nil, false),
		w("c", 20*time.Millisecond, nil, false), w("slow", 0, nil, true), w("broken", 0, failed, false),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond) // the page's time
	defer cancel()
	began := time.Now()
	loaded := Run(ctx, Deps{}, View{}, list, 2)
	if took := time.Since(began); took > 2*time.Second {
		t.Errorf("Run took %s with a page time of 300ms", took)
	}
	if p := peak.Load(); p > 2 {
		t.Errorf("%d widgets loaded at once, the bound is 2", p)
	}
	for i, l := range loaded {
		name := list[i].Name()
		switch {
		case l.Widget != list[i]:
			t.Errorf("result %d is of widget %s, want %s", i, l.Widget.Name(), name)
		case name == "slow" && !errors.Is(l.Err, context.DeadlineExceeded):
			t.Errorf("slow: %v, want the deadline", l.Err)
		case name == "broken" && !errors.Is(l.Err, failed):
			t.Errorf("broken: %v, want its error", l.Err)
		case len(name) == 1 && (l.Err != nil || l.Output.Data != name):
			t.Errorf("%s: %v %v, want its output", name, l.Err, l.Output.Data)
		}
	}
}
