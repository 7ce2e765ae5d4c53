# Runtime image for leakwatch: build the jar first (mvn -DskipTests package), then `docker build .`
FROM eclipse-temurin:17-jre
WORKDIR /opt/leakwatch
COPY target/leakwatch.jar ./
COPY target/lib/ ./lib/
COPY config/ ./config/
ENTRYPOINT ["java", "-jar", "/opt/leakwatch/leakwatch.jar"]
