# Runtime image for leakwatch: the production application only (no generator, bench, backtest or broker).
# Build the jars first (mvn -DskipTests package), then `docker build .`
FROM eclipse-temurin:17-jre
WORKDIR /opt/leakwatch
COPY src/app/target/leakwatch-app.jar ./leakwatch.jar
COPY src/app/target/lib/ ./lib/
COPY config/ ./config/
ENTRYPOINT ["java", "-jar", "/opt/leakwatch/leakwatch.jar"]
