# syntax=docker/dockerfile:1
#
# Leakwatch's images, built from the sources (the host needs Docker only, no JDK or Maven):
#   docker build -t leakwatch .                       the production image, the default (last) stage `app`: src/app's
#                                                     jar and lib/, the risk models, the example configs
#   docker build --target tools -t leakwatch-tools .  every ./leakwatch command (generator, backtest, demo, bench):
#                                                     the sample-data loader of docker-compose.yml, never deployed
# The production image holds no generator, embedded broker, Kafka test utilities or chart library: src/app's build
# refuses them as dependencies (maven-enforcer), DockerfileTest checks what each stage copies, and
# ImageLayoutIntegrationTest checks the jar layout the `app` stage copies.

FROM --platform=$BUILDPLATFORM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# leakwatch-core bundles the topic catalog from topology/topics.json
COPY pom.xml ./
COPY topology/topics.json topology/
COPY src/ src/
# The local Maven repository is a BuildKit cache: kept from one build to the next, never part of an image.
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -DskipTests package

# What both runtime images share: a JRE (glibc, which ONNX Runtime's and RocksDB's native libraries need) and one
# unprivileged user with a fixed numeric id (Kubernetes' runAsNonRoot can only verify a numeric USER).
FROM eclipse-temurin:17-jre AS runtime
# The heap's share of the memory the container may use (its limit, else the host's): the rest is for RocksDB's and
# ONNX Runtime's native memory. `docker run -e JAVA_OPTS=...` replaces it; the entrypoints pass it to java, which
# replaces the shell and so receives SIGTERM itself.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=50"
RUN groupadd --system --gid 10001 leakwatch \
 && useradd --system --uid 10001 --gid leakwatch --home-dir /opt/leakwatch --no-create-home \
      --shell /usr/sbin/nologin leakwatch
WORKDIR /opt/leakwatch

FROM runtime AS tools
COPY --from=build /build/src/tools/target/leakwatch.jar ./leakwatch.jar
COPY --from=build /build/src/tools/target/lib/ ./lib/
USER 10001:10001
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/leakwatch/leakwatch.jar \"$@\"", "leakwatch"]

FROM runtime AS app
# Kafka Streams' state.dir (config/compose/leakwatch.properties), owned by the user: a named volume mounted there
# starts with the owner and permissions the image gives the directory.
RUN mkdir -p /var/lib/leakwatch/state && chown -R 10001:10001 /var/lib/leakwatch
COPY --from=build /build/src/app/target/leakwatch-app.jar ./leakwatch.jar
COPY --from=build /build/src/app/target/lib/ ./lib/
# The ONNX models, their feature contracts and cards (the Python training code stays out: .dockerignore);
# leakwatch.models.dir=/opt/leakwatch/models turns risk scoring on with them.
COPY models/ ./models/
COPY config/ ./config/
USER 10001:10001
# No HEALTHCHECK in the image: it runs `run` (/health/ready on leakwatch.http.port, 8080), `slack-bridge` (on
# slack.endpoint.port, 8081) and the one-shot `topics`, so the check belongs to each service that runs it: see
# docker-compose.yml, whose probe needs only the bash this image has. Besides, `run` exits at once on a
# configuration or connection error and exits 1 when a stream thread fails.
EXPOSE 8080 8081
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/leakwatch/leakwatch.jar \"$@\"", "leakwatch"]
