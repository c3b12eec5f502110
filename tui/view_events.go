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
	"sort"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/util/duration"
)

// eventsView lists the recent events of the control plane, newest first.
type eventsView struct{}

func (eventsView) name() string                          { return "Events" }
func (eventsView) columns() []column                     { return eventColumns }
func (eventsView) actions() []action                     { return nil }
func (eventsView) rows(s *Snapshot, now time.Time) []row { return eventRows(s, now) }
func (eventsView) detail(s *Snapshot, key string, now time.Time) []string {
	return eventDetail(s, key, now)
}
func (eventsView) empty(*Snapshot) string { return "no recent events" }

var eventColumns = []column{{"AGE", 5, 0}, {"TYPE", 7, 2}, {"REASON", 22, 0}, {"OBJECT", 28, 1}, {"MESSAGE", 30, 0}}

func eventRows(s *Snapshot, now time.Time) []row {
	rows := make([]row, 0, len(s.Events))
	for i := range s.Events {
		e := &s.Events[i]
		typ := e.Type
		if typ == corev1.EventTypeWarning {
			typ = warnStyle.Render(typ)
		}
		obj := strings.ToLower(e.Regarding.Kind) + "/" + e.Regarding.Name
		if e.Regarding.Namespace != "" {
			obj = strings.ToLower(e.Regarding.Kind) + "/" + e.Regarding.Namespace + "/" + e.Regarding.Name
		}
		msg := strings.ReplaceAll(e.Note, "\n", " ")
		rows = append(rows, row{
			key:   fmt.Sprint(i),
			cells: []string{duration.HumanDuration(now.Sub(eventTime(e))), typ, e.Reason, obj, msg},
			text:  strings.Join([]string{e.Type, e.Reason, obj, msg}, " "),
		})
	}
	return rows
}

func eventDetail(s *Snapshot, key string, now time.Time) []string {
	i, err := strconv.Atoi(key)
	if err != nil || i >= len(s.Events) {
		return []string{"the event is gone"}
	}
	e := &s.Events[i]
	return []string{titleStyle.Render(e.Type + " " + e.Reason),
		fmt.Sprintf("  about %s %s/%s", e.Regarding.Kind, e.Regarding.Namespace, e.Regarding.Name),
		fmt.Sprintf("  %s ago, by %s", duration.HumanDuration(now.Sub(eventTime(e))), e.ReportingController),
		"", "  " + e.Note}
}

// SortEvents orders events newest first and keeps at most maxEvents.
func SortEvents(events []eventsv1.Event) []eventsv1.Event {
	sort.SliceStable(events, func(i, j int) bool { return eventTime(&events[i]).After(eventTime(&events[j])) })
	if len(events) > maxEvents {
		events = events[:maxEvents]
	}
	return events
}

// eventTime is when an event last happened, whichever field says so.
func eventTime(e *eventsv1.Event) time.Time {
	switch {
	case e.Series != nil:
		return e.Series.LastObservedTime.Time
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	case !e.DeprecatedLastTimestamp.IsZero():
		return e.DeprecatedLastTimestamp.Time
	}
	return e.CreationTimestamp.Time
}
