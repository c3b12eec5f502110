# The karmada-controllers image that "kubectl karmada init" deploys into a
# host cluster (--controllers-image). It holds only the static binary, so it
# builds with no pull: `make image` builds bin/karmada-controllers first and
# sends just that file as the build context (see .dockerignore).
FROM scratch
COPY bin/karmada-controllers /karmada-controllers
USER 65532:65532
ENTRYPOINT ["/karmada-controllers"]
