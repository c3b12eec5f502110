/*
Copyright 2026 The kubectl-karmada Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package tui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// viewID names a view; it indexes views and the model's per-view state.
type viewID int

// The four views, in tab order.
const (
	viewClusters viewID = iota
	viewWorkloads
	viewServices
	viewEvents
	viewCount
)

// view is one tab of the TUI: it turns a snapshot into rows (with the text
// "/" filters on) and one selected item into a detail page. Each view is
// one file (view_*.go); adding a view means adding one there and to views.
type view interface {
	// name is the tab's title, and, in lower case, the --view value.
	name() string
	columns() []column
	rows(s *Snapshot, now time.Time) []row
	// detail is the page of the item whose row key is key.
	detail(s *Snapshot, key string, now time.Time) []string
	// empty says what to do when there is nothing to show.
	empty(s *Snapshot) string
	// actions are the keys that change something, offered unless read-only.
	actions() []action
}

// action is a key that changes something, and what it does: it asks
// first (a prompt on the model) and returns the command that follows.
type action struct {
	key key.Binding
	ask func(m *Model) tea.Cmd
}

var views = [viewCount]view{clustersView{}, workloadsView{}, servicesView{}, eventsView{}}

// Cells returns the row's cells, making them if they are lazy.
func (r row) Cells() []string {
	if r.lazy != nil {
		return r.lazy()
	}
	return r.cells
}

// row is one line of a view's table.
type row struct {
	// key names the item: a cluster, a binding, a service, an event.
	key   string
	cells []string
	// lazy, when set, makes the cells only when the row is on screen.
	lazy func() []string
	// text is what the filter matches.
	text string
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
