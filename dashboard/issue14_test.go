package dashboard

import "testing"

// Issue 14, items 1, 6 and 7, on one test site (a site takes seconds to
// build): the Poortwachter worklist on the page, in a browser and as
// downloads; the pseudonym lookup; the durations charts; and last, as it
// changes the accounts, users who take effect without a restart.
func TestWorklistLookupChartsAndAccounts(t *testing.T) {
	site := newTestSite(t)
	t.Run("worklist page and downloads", func(t *testing.T) { worklistPage(t, site) })
	t.Run("worklist in a browser", func(t *testing.T) { worklistInABrowser(t, site) })
	t.Run("pseudonym lookup", func(t *testing.T) { pseudonymLookup(t, site) })
	t.Run("durations charts read right", func(t *testing.T) { durationsChartsReadRight(t, site) })
	t.Run("accounts take effect without a restart", func(t *testing.T) { accountsTakeEffectWithoutRestart(t, site) })
}
