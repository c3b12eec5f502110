#!/bin/sh
# Keeps the kind clusters' traffic on this machine. It runs on every node
# before containerd and kubelet start, so it is in place before the first
# pod exists.
#
# Docker gives even an internal network a gateway, and until kube-proxy has
# written a Service's rules a packet to a Service IP is routed like any
# other address: out through that gateway. Every cluster of ours takes its
# Service range from 10.96.0.0/12 and its pod range from 10.240.0.0/12
# (test/localcluster/kind.go), so:
#   - the node has no default route: nothing of ours needs one (kind sets
#     the node's and the API server's addresses), and an address no route
#     covers is refused by the kernel before any packet is sent;
#   - forwarding to a Service address is refused (kube-proxy's DNAT runs
#     before this chain, so a Service with endpoints is not affected);
#   - a pod address with no route of its own (the local bridge, or a route
#     to another cluster's node) is unreachable.
set -eu
ip route del default 2>/dev/null || true
iptables -I FORWARD -d 10.96.0.0/12 -j REJECT --reject-with icmp-port-unreachable
ip route replace unreachable 10.240.0.0/12
