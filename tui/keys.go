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

import "github.com/charmbracelet/bubbles/key"

// globalKeys work in every view.
type globalKeys struct {
	Next, Prev, One, Two, Three, Four key.Binding
	Up, Down, PageUp, PageDown, Top   key.Binding
	Filter, Enter, Back, Help, Quit   key.Binding
}

var global = globalKeys{
	Next:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next view")),
	Prev:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous view")),
	One:      key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "clusters")),
	Two:      key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "workloads")),
	Three:    key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "services")),
	Four:     key.NewBinding(key.WithKeys("4"), key.WithHelp("4", "events")),
	Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
	Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
	PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
	PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
	Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
	Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
	Enter:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
	Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
	Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
}

// Each view's own actions.
var (
	cordonKey = key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "cordon/uncordon"))
	scaleKey  = key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "scale template"))
	yesKey    = key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes"))
	noKey     = key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "no"))
)

// viewKeys is the key map of one view, for the help.
type viewKeys struct {
	actions []key.Binding
}

func (k viewKeys) ShortHelp() []key.Binding {
	return append([]key.Binding{global.Next, global.Enter, global.Filter}, append(k.actions, global.Help, global.Quit)...)
}

func (k viewKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{global.Next, global.Prev, global.One, global.Two, global.Three, global.Four},
		{global.Up, global.Down, global.PageUp, global.PageDown, global.Top},
		append([]key.Binding{global.Filter, global.Enter, global.Back}, k.actions...),
		{global.Help, global.Quit},
	}
}
