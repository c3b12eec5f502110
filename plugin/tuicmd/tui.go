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

// Package tuicmd implements "kubectl karmada tui".
package tuicmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
	"golang.org/x/term"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/rest"
	"k8s.io/kubectl/pkg/util/templates"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/kubectl-karmada/kubectl-karmada/internal/connect"
	"github.com/kubectl-karmada/kubectl-karmada/tui"
)

var (
	long = templates.LongDesc(`
		Watch the clusterset live in the terminal: member clusters with their health
		and resources, every workload's placement with ready and scheduled replicas per
		cluster (enter shows why the scheduler chose those clusters), services shared
		with the MCS API, and recent events. Cordon a cluster (c) or scale a template (s)
		after a confirmation, unless --read-only.`)

	example = templates.Examples(`
		# Open the TUI on the control plane of the current context
		%[1]s tui

		# On another control plane, without actions
		%[1]s tui --context karmada-apiserver --read-only

		# Print one frame as text, 120 columns by 35 rows, and exit
		%[1]s tui --dump 120x35`)
)

// Options holds what tui needs.
type Options struct {
	ReadOnly bool
	Refresh  time.Duration
	// Dump renders one frame of WIDTHxHEIGHT as text instead of running.
	Dump string
	// View is the view shown first.
	View string

	width, height int
	config        *rest.Config
	client        client.Client
	configFlags   *genericclioptions.ConfigFlags
	genericiooptions.IOStreams
}

// NewCmdTUI returns the tui command.
func NewCmdTUI(parent string, configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	o := &Options{configFlags: configFlags, Refresh: 250 * time.Millisecond, IOStreams: streams}
	cmd := &cobra.Command{
		Use:          "tui",
		Short:        "Watch clusters, placements and services live in the terminal",
		Long:         long,
		Example:      fmt.Sprintf(example, parent),
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return err
			}
			if err := o.Complete(); err != nil {
				return err
			}
			return o.Run(cmd.Context())
		},
	}
	cmd.Flags().BoolVar(&o.ReadOnly, "read-only", false, "Only watch: no cordon, no scale")
	cmd.Flags().DurationVar(&o.Refresh, "refresh", o.Refresh, "Shortest time between two screen updates")
	cmd.Flags().StringVar(&o.Dump, "dump", "", "Print one frame of WIDTHxHEIGHT as plain text and exit")
	cmd.Flags().StringVar(&o.View, "view", "clusters", "View shown first: "+strings.Join(tui.ViewNames(), ", "))
	_ = cmd.RegisterFlagCompletionFunc("view", cobra.FixedCompletions(tui.ViewNames(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// Validate checks the flags before anything connects.
func (o *Options) Validate() error {
	if !slices.Contains(tui.ViewNames(), o.View) {
		return fmt.Errorf("--view %q: use one of %s", o.View, strings.Join(tui.ViewNames(), ", "))
	}
	if o.Dump != "" {
		if _, err := fmt.Sscanf(strings.ToLower(o.Dump), "%dx%d", &o.width, &o.height); err != nil || o.width < 40 || o.height < 10 {
			return fmt.Errorf("--dump %q: use WIDTHxHEIGHT, at least 40x10", o.Dump)
		}
	}
	return nil
}

// Complete connects to the control plane.
func (o *Options) Complete() error {
	var err error
	if o.config, err = o.configFlags.ToRESTConfig(); err != nil {
		return err
	}
	o.client, err = connect.NewClient(o.config)
	return err
}

// Run opens the TUI (or dumps a frame).
func (o *Options) Run(ctx context.Context) error {
	if os.Getenv("NO_COLOR") != "" || o.Dump != "" {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	source := &tui.Source{Config: o.config, Client: o.client, Interval: o.Refresh, ServicesInterval: 5 * time.Second}
	if o.Dump != "" {
		return o.dump(ctx, source)
	}
	in, inOK := o.In.(*os.File)
	out, outOK := o.Out.(*os.File)
	if !inOK || !outOK || !term.IsTerminal(int(in.Fd())) || !term.IsTerminal(int(out.Fd())) {
		return errors.New("kubectl karmada tui needs a terminal; without one, use kubectl karmada get clusters|bindings|services")
	}
	model := tui.New(tui.Options{ReadOnly: o.ReadOnly, Actions: tui.ClientActions{Client: o.client}, View: o.View})
	program := tea.NewProgram(model, tea.WithAltScreen(), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { _ = source.Run(ctx, program.Send) }()
	_, err := program.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}

// dump waits for the first full snapshot (services included) and prints
// one frame without styles.
func (o *Options) dump(ctx context.Context, source *tui.Source) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	snaps := make(chan tui.SnapshotMsg, 16)
	go func() {
		_ = source.Run(ctx, func(m tea.Msg) {
			if s, ok := m.(tui.SnapshotMsg); ok {
				select {
				case snaps <- s:
				default:
				}
			}
		})
	}()
	var model tea.Model = tui.New(tui.Options{ReadOnly: true, View: o.View})
	model, _ = model.Update(tea.WindowSizeMsg{Width: o.width, Height: o.height})
	for {
		select {
		case <-ctx.Done():
			return errors.New("no data from the control plane within 30s")
		case s := <-snaps:
			if s.Services == nil && s.ServicesErr == "" {
				continue // wait for the first services read too
			}
			model, _ = model.Update(s)
			lines := strings.Split(ansi.Strip(model.View()), "\n")
			for i, l := range lines {
				lines[i] = strings.TrimRight(l, " ")
			}
			_, err := fmt.Fprintln(o.Out, strings.Join(lines, "\n"))
			return err
		}
	}
}
