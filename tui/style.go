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
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Styles, kept few: colour marks state (good, warning, bad) and the
// selection; layout never depends on colour, so NO_COLOR loses nothing.
var (
	titleStyle    = lipgloss.NewStyle().Bold(true)
	tabStyle      = lipgloss.NewStyle().Padding(0, 1)
	activeTab     = lipgloss.NewStyle().Padding(0, 1).Bold(true).Reverse(true)
	headerStyle   = lipgloss.NewStyle().Bold(true).Underline(true)
	selectedStyle = lipgloss.NewStyle().Reverse(true)
	goodStyle     = lipgloss.NewStyle().Foreground(lipgloss.Color("2"))
	warnStyle     = lipgloss.NewStyle().Foreground(lipgloss.Color("3"))
	badStyle      = lipgloss.NewStyle().Foreground(lipgloss.Color("1")).Bold(true)
	dimStyle      = lipgloss.NewStyle().Faint(true)
)

// column is one column of a table: a title, the width it wants, and a
// priority; on a narrow screen the lowest priorities are dropped first.
// The last kept column takes what width is left.
type column struct {
	title string
	width int
	prio  int
}

// layout picks the columns that fit width, keeping their order.
func layout(cols []column, width int) []int {
	keep := make([]bool, len(cols))
	for i := range cols {
		keep[i] = true
	}
	total := func() int {
		w := 0
		for i, c := range cols {
			if keep[i] {
				w += c.width + 1
			}
		}
		return w
	}
	for total() > width {
		worst := -1
		for i, c := range cols {
			if keep[i] && c.prio > 0 && (worst < 0 || c.prio > cols[worst].prio) {
				worst = i
			}
		}
		if worst < 0 {
			break
		}
		keep[worst] = false
	}
	var out []int
	for i := range cols {
		if keep[i] {
			out = append(out, i)
		}
	}
	return out
}

// widths sizes the kept columns: each as wide as its content (title
// included) when all fit; otherwise the widest shrink toward the width
// they ask for, and the last column takes any width left.
func widths(cols []column, idx []int, rows [][]string, width int) []int {
	out := make([]int, len(idx))
	sum := len(idx) - 1 // the gaps
	for n, i := range idx {
		out[n] = ansi.StringWidth(cols[i].title)
		for _, r := range rows {
			if i < len(r) {
				out[n] = max(out[n], ansi.StringWidth(r[i]))
			}
		}
		sum += out[n]
	}
	for sum > width {
		widest := -1
		for n, i := range idx {
			if out[n] > cols[i].width && (widest < 0 || out[n]-cols[idx[n]].width > out[widest]-cols[idx[widest]].width) {
				widest = n
			}
		}
		if widest < 0 {
			break
		}
		out[widest]--
		sum--
	}
	if len(out) > 0 && sum < width {
		out[len(out)-1] += width - sum
	}
	return out
}

// renderTable draws a header and the visible rows (from offset) of a
// table in width, the selected row reversed. Cells may hold styles.
func renderTable(cols []column, rows [][]string, selected, offset, height, width int) []string {
	// A column whose content is narrower than it asks for needs only that
	// much to stay on screen.
	need := make([]column, len(cols))
	for i, c := range cols {
		natural := ansi.StringWidth(c.title)
		for _, r := range rows {
			if i < len(r) {
				natural = max(natural, ansi.StringWidth(r[i]))
			}
		}
		need[i] = column{title: c.title, width: min(c.width, natural), prio: c.prio}
	}
	idx := layout(need, width)
	ws := widths(need, idx, rows, width)
	line := func(cells []string) string {
		var b strings.Builder
		for n, i := range idx {
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			b.WriteString(fit(cell, ws[n]))
			if n < len(idx)-1 {
				b.WriteString(" ")
			}
		}
		return b.String()
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	out := []string{headerStyle.Render(fit(line(titles), width))}
	for r := offset; r < len(rows) && r < offset+height; r++ {
		l := line(rows[r])
		if r == selected {
			l = selectedStyle.Render(ansi.Strip(l))
		}
		out = append(out, l)
	}
	return out
}

// fit pads or truncates s (which may hold ANSI styles) to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if n := ansi.StringWidth(s); n > w {
		return ansi.Truncate(s, w, "…")
	} else if n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// bar draws used of total as a bar of width cells and a percentage.
func bar(used, total float64, width int) string {
	if total <= 0 {
		return dimStyle.Render(strings.Repeat("·", width) + "   -")
	}
	ratio := used / total
	if ratio < 0 {
		ratio = 0
	}
	filled := int(ratio*float64(width) + 0.5)
	filled = min(filled, width)
	style := goodStyle
	switch {
	case ratio >= 0.9:
		style = badStyle
	case ratio >= 0.7:
		style = warnStyle
	}
	return style.Render(strings.Repeat("█", filled)) + dimStyle.Render(strings.Repeat("░", width-filled)) +
		fmt.Sprintf(" %3.0f%%", ratio*100)
}

// replicaBar draws ready of want replicas as a tiny bar: ▰ ready, ▱ not.
func replicaBar(ready, want int64) string {
	const cells = 3
	if want <= 0 {
		return ""
	}
	filled := int(float64(ready) / float64(want) * cells)
	filled = max(0, min(filled, cells))
	style := goodStyle
	if ready < want {
		style = warnStyle
	}
	return style.Render(strings.Repeat("▰", filled)) + dimStyle.Render(strings.Repeat("▱", cells-filled))
}
