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
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// prompt is a question waiting for the user: a cordon to confirm, or the
// replicas to scale to.
type prompt struct {
	question string
	// input is used by the scale prompt; nil for yes/no.
	input *textinput.Model
	// run performs the action with the input's value ("" for yes/no).
	run func(value string) tea.Cmd
}

// Model is the TUI's state. Create it with New.
type Model struct {
	snap    Snapshot
	loaded  bool
	view    viewID
	cursor  [viewCount]int
	offset  [viewCount]int
	filters [viewCount]string

	filtering bool
	filter    textinput.Model

	detail       bool
	detailKey    string
	detailOffset int

	prompt   *prompt
	showHelp bool
	status   string

	width, height int
	readOnly      bool
	actions       Actions
	help          help.Model
	// now is the clock, so tests render fixed ages.
	now func() time.Time
}

// Options configure a Model.
type Options struct {
	// ReadOnly removes the actions.
	ReadOnly bool
	// Actions perform cordon and scale; nil means read-only.
	Actions Actions
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// View is the view shown first: clusters, workloads, services or events.
	View string
}

// New returns a model waiting for its first snapshot.
func New(o Options) Model {
	f := textinput.New()
	f.Cursor.SetMode(cursor.CursorStatic) // no blink timer to wake the program
	f.Prompt = "/"
	f.CharLimit = 64
	m := Model{filter: f, readOnly: o.ReadOnly || o.Actions == nil, actions: o.Actions, help: help.New(), now: o.Now,
		width: 80, height: 24}
	if m.now == nil {
		m.now = time.Now
	}
	for i, v := range views {
		if strings.EqualFold(v.name(), o.View) {
			m.view = viewID(i)
		}
	}
	return m
}

// Init starts nothing: snapshots arrive from outside.
func (m Model) Init() tea.Cmd { return nil }

// Update handles one message; it never blocks.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
		return m, nil
	case SnapshotMsg:
		m.snap, m.loaded = Snapshot(msg), true
		m.clamp()
		return m, nil
	case ConnectionMsg:
		m.snap.Connected, m.snap.Err = msg.Connected, msg.Err
		return m, nil
	case actionDoneMsg:
		m.status = msg.text
		if msg.err != nil {
			m.status = badStyle.Render("failed: " + msg.err.Error())
		}
		return m, nil
	case tea.KeyMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case msg.String() == "ctrl+c":
		return m, tea.Quit
	case m.prompt != nil:
		return m.answer(msg)
	case m.filtering:
		return m.typeFilter(msg)
	case m.showHelp:
		m.showHelp = false
		return m, nil
	}
	if v, ok := viewKey(msg); ok {
		m.switchTo(v)
		return m, nil
	}
	switch {
	case key.Matches(msg, global.Quit):
		return m, tea.Quit
	case key.Matches(msg, global.Help):
		m.showHelp = true
	case key.Matches(msg, global.Next):
		m.switchTo((m.view + 1) % viewCount)
	case key.Matches(msg, global.Prev):
		m.switchTo((m.view + viewCount - 1) % viewCount)
	case key.Matches(msg, global.Back):
		if m.detail {
			m.detail = false
		} else if m.filters[m.view] != "" {
			m.filters[m.view] = ""
			m.clamp()
		}
	case m.navigate(msg):
	case key.Matches(msg, global.Filter) && !m.detail:
		m.filtering = true
		m.filter.SetValue(m.filters[m.view])
		m.filter.CursorEnd()
		return m, m.filter.Focus()
	case key.Matches(msg, global.Enter):
		if r, ok := m.selected(); ok {
			m.detail, m.detailKey, m.detailOffset = true, r.key, 0
		}
	case !m.readOnly:
		for _, a := range views[m.view].actions() {
			if key.Matches(msg, a.key) {
				return m, a.ask(&m)
			}
		}
	}
	return m, nil
}

// navigate moves the cursor (or scrolls a detail) for the movement keys.
func (m *Model) navigate(msg tea.KeyMsg) bool {
	switch {
	case key.Matches(msg, global.Up):
		m.move(-1)
	case key.Matches(msg, global.Down):
		m.move(1)
	case key.Matches(msg, global.PageUp):
		m.move(-m.tableHeight())
	case key.Matches(msg, global.PageDown):
		m.move(m.tableHeight())
	case key.Matches(msg, global.Top):
		m.move(-1 << 30)
	default:
		return false
	}
	return true
}

// viewKey maps 1..4 to the view they switch to.
func viewKey(msg tea.KeyMsg) (viewID, bool) {
	for i, k := range []key.Binding{global.One, global.Two, global.Three, global.Four} {
		if key.Matches(msg, k) {
			return viewID(i), true
		}
	}
	return 0, false
}

// typeFilter edits the filter; enter keeps it, esc drops it.
func (m Model) typeFilter(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEnter, tea.KeyEsc:
		m.filtering = false
		m.filter.Blur()
		if msg.Type == tea.KeyEsc {
			m.filter.SetValue("")
		}
		m.filters[m.view] = m.filter.Value()
		m.clamp()
		return m, nil
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	m.filters[m.view] = m.filter.Value()
	m.cursor[m.view], m.offset[m.view] = 0, 0
	return m, cmd
}

// answer handles a key while a prompt waits.
func (m Model) answer(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	p := m.prompt
	if p.input == nil {
		switch {
		case key.Matches(msg, yesKey):
			m.prompt = nil
			return m, p.run("")
		case key.Matches(msg, noKey):
			m.prompt, m.status = nil, "cancelled"
		}
		return m, nil
	}
	switch msg.Type {
	case tea.KeyEsc:
		m.prompt, m.status = nil, "cancelled"
		return m, nil
	case tea.KeyEnter:
		m.prompt = nil
		return m, p.run(p.input.Value())
	}
	in, cmd := p.input.Update(msg)
	p.input = &in
	return m, cmd
}

// askCordon asks to cordon (or uncordon) the selected cluster.
func (m *Model) askCordon() {
	r, ok := m.selected()
	if !ok {
		return
	}
	cordoned := false
	for _, c := range m.snap.Clusters {
		if c.Name == r.key {
			for _, t := range c.Spec.Taints {
				cordoned = cordoned || t.Key == unschedulableTaint
			}
		}
	}
	verb := "Cordon"
	if cordoned {
		verb = "Uncordon"
	}
	actions, name := m.actions, r.key
	m.prompt = &prompt{
		question: fmt.Sprintf("%s cluster %s? (y/n)", verb, name),
		run: func(string) tea.Cmd {
			return func() tea.Msg {
				ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
				defer cancel()
				err := actions.Cordon(ctx, name, !cordoned)
				return actionDoneMsg{text: fmt.Sprintf("%sed %s", strings.ToLower(verb), name), err: err}
			}
		},
	}
}

// askScale asks how many replicas the selected workload's template gets.
func (m *Model) askScale() tea.Cmd {
	r, ok := m.selected()
	if !ok {
		return nil
	}
	var ref workv1alpha2.ObjectReference
	var current int32
	for _, b := range m.snap.Bindings {
		if b.GetNamespace()+"/"+b.GetName() == r.key {
			ref, current = b.BindingSpec().Resource, b.BindingSpec().Replicas
		}
	}
	if ref.Kind == "" {
		return nil
	}
	in := textinput.New()
	in.Cursor.SetMode(cursor.CursorStatic)
	in.Prompt = ""
	in.CharLimit = 6
	in.SetValue(strconv.Itoa(int(current)))
	in.CursorEnd()
	actions := m.actions
	m.prompt = &prompt{
		question: fmt.Sprintf("Scale %s to (enter to confirm, esc to cancel): ", workloadName(ref)),
		input:    &in,
		run: func(value string) tea.Cmd {
			n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 32)
			if err != nil || n < 0 {
				return func() tea.Msg { return actionDoneMsg{err: fmt.Errorf("%q is not a replica count", value)} }
			}
			return func() tea.Msg {
				ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
				defer cancel()
				err := actions.Scale(ctx, ref, int32(n)) //nolint:gosec // ParseInt checked it fits 32 bits
				return actionDoneMsg{text: fmt.Sprintf("scaled %s to %d", workloadName(ref), n), err: err}
			}
		},
	}
	return in.Focus()
}

func (m *Model) switchTo(v viewID) {
	m.view, m.detail = v, false
	m.clamp()
}

func (m *Model) move(delta int) {
	if m.detail {
		m.detailOffset = max(0, m.detailOffset+delta)
		return
	}
	m.cursor[m.view] += delta
	m.clamp()
}

// clamp keeps the cursor on a row and the row on screen.
func (m *Model) clamp() {
	n := len(m.rows(m.view))
	c := &m.cursor[m.view]
	*c = max(0, min(*c, n-1))
	h := max(1, m.tableHeight())
	o := &m.offset[m.view]
	if *c < *o {
		*o = *c
	}
	if *c >= *o+h {
		*o = *c - h + 1
	}
	*o = max(0, min(*o, max(0, n-h)))
}

// rows are the filtered rows of a view.
func (m *Model) rows(v viewID) []row {
	all := views[v].rows(&m.snap, m.now())
	f := strings.ToLower(m.filters[v])
	if f == "" {
		return all
	}
	out := all[:0]
	for _, r := range all {
		if strings.Contains(strings.ToLower(r.text), f) {
			out = append(out, r)
		}
	}
	return out
}

func (m *Model) selected() (row, bool) {
	rows := m.rows(m.view)
	if c := m.cursor[m.view]; c >= 0 && c < len(rows) {
		return rows[c], true
	}
	return row{}, false
}

// tableHeight is how many rows fit: the screen less the title, the
// column header and the footer.
func (m *Model) tableHeight() int { return max(1, m.height-4) }

// View renders the screen; it reads only the model.
func (m Model) View() string {
	lines := []string{m.titleBar()}
	body := m.height - 2
	switch {
	case m.showHelp:
		lines = append(lines, strings.Split(m.help.FullHelpView(m.keys().FullHelp()), "\n")...)
	case !m.loaded:
		lines = append(lines, "", "  loading from the control plane…")
	case m.detail:
		d := m.detailLines()
		off := min(m.detailOffset, max(0, len(d)-body))
		lines = append(lines, d[off:min(len(d), off+body)]...)
	default:
		off := m.offset[m.view]
		cols, rows := m.table(off, m.tableHeight())
		lines = append(lines, renderTable(cols, rows, m.cursor[m.view]-off, 0, m.tableHeight(), m.width)...)
		if len(rows) == 0 {
			lines = append(lines, dimStyle.Render("  "+m.empty()))
		}
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	lines = lines[:max(1, m.height-1)]
	lines = append(lines, m.footer())
	for i, l := range lines {
		lines[i] = fit(l, m.width)
	}
	return strings.Join(lines, "\n")
}

func (m *Model) keys() viewKeys {
	if m.readOnly {
		return viewKeys{}
	}
	var keys viewKeys
	for _, a := range views[m.view].actions() {
		keys.actions = append(keys.actions, a.key)
	}
	return keys
}

func (m *Model) titleBar() string {
	var tabs []string
	for i, v := range views {
		label := fmt.Sprintf("%d %s", i+1, v.name())
		if viewID(i) == m.view {
			tabs = append(tabs, activeTab.Render(label))
		} else {
			tabs = append(tabs, tabStyle.Render(label))
		}
	}
	state := goodStyle.Render("● live")
	switch {
	case !m.snap.Connected && m.snap.Err != "":
		state = badStyle.Render("✕ connection lost, retrying")
	case !m.loaded:
		state = dimStyle.Render("○ connecting")
	}
	left := titleStyle.Render("karmada") + " " + strings.Join(tabs, "")
	right := state
	if m.loaded && !m.snap.At.IsZero() {
		right += " " + m.snap.At.Format("15:04:05")
	}
	gap := m.width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m *Model) footer() string {
	switch {
	case m.prompt != nil && m.prompt.input != nil:
		return warnStyle.Render(m.prompt.question) + m.prompt.input.View()
	case m.prompt != nil:
		return warnStyle.Render(m.prompt.question)
	case m.filtering:
		return m.filter.View()
	}
	text := m.help.ShortHelpView(m.keys().ShortHelp())
	if f := m.filters[m.view]; f != "" && !m.detail {
		text = fmt.Sprintf("filter %q (esc clears) · ", f) + text
	}
	if m.status != "" {
		text = m.status + " · " + text
	}
	if !m.snap.Connected && m.snap.Err != "" {
		text = badStyle.Render(m.snap.Err)
	}
	return text
}

// table returns the view's columns and the cells of the rows from offset,
// at most height of them: only visible rows are rendered, so thousands of
// bindings cost a frame no more than a screenful.
func (m *Model) table(offset, height int) ([]column, [][]string) {
	rows := m.rows(m.view)
	var cells [][]string
	for i := offset; i < len(rows) && i < offset+height; i++ {
		cells = append(cells, rows[i].Cells())
	}
	return views[m.view].columns(), cells
}

func (m *Model) empty() string {
	if m.filters[m.view] != "" {
		return "nothing matches the filter"
	}
	return views[m.view].empty(&m.snap)
}

func (m *Model) detailLines() []string {
	return views[m.view].detail(&m.snap, m.detailKey, m.now())
}

// ViewNames lists the views, for a flag's help and check.
func ViewNames() []string {
	out := make([]string, len(views))
	for i, v := range views {
		out[i] = strings.ToLower(v.name())
	}
	return out
}
