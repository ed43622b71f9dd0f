package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Builds the SDK's CloudFront client from {@link CloudFrontSettings}. The HTTP client is always the SDK's Apache
 * client, built here: left to the SDK's discovery, a JVM that sees several implementations (a Jenkins controller's
 * plugins) fails to choose, and a proxy could not be given.
 */
public final class CloudFrontClients {
    /** Attempts per call for throttling, 5xx and dropped connections, with the SDK's standard backoff. */
    static final int MAX_ATTEMPTS = 5;

    private CloudFrontClients() {}

    public static CloudFrontClient create(CloudFrontSettings settings) {
        // CloudFront is global: AWS_GLOBAL signs for us-east-1 against the real endpoint
        CloudFrontClientBuilder builder = CloudFrontClient.builder()
                .httpClientBuilder(httpClient(settings.proxy()))
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(credentials(settings))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(MAX_ATTEMPTS)));
        if (settings.endpointUrl() != null) {
            builder.endpointOverride(endpoint(settings.endpointUrl()));
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(CloudFrontSettings s) {
        AwsCredentialsProvider base;
        if (s.accessKeyId() != null) {
            base = StaticCredentialsProvider.create(s.sessionToken() != null
                    ? AwsSessionCredentials.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken())
                    : AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey()));
        } else if (s.profile() != null) {
            base = ProfileCredentialsProvider.create(s.profile());
        } else {
            base = DefaultCredentialsProvider.builder().build();
        }
        if (s.roleArn() == null) {
            return base;
        }
        // the SDK picks the STS endpoint: aws.endpointUrlSts or AWS_ENDPOINT_URL_STS when set (tests, VPC endpoints)
        StsClient sts = StsClient.builder()
                .httpClientBuilder(httpClient(s.proxy()))
                .region(Region.US_EAST_1)
                .credentialsProvider(base)
                .build();
        StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> {
                    r.roleArn(s.roleArn()).roleSessionName("cloudfront-deploy");
                    if (s.externalId() != null) {
                        r.externalId(s.externalId());
                    }
                })
                .build();
        return new AssumedRole(s, assumed);
    }

    /**
     * The Apache client, through the given proxy; without one, through the proxy the SDK finds in the environment
     * ({@code HTTPS_PROXY}) or system properties ({@code https.proxyHost}), as before. Given to the SDK as a builder,
     * so that each client closes its own.
     */
    static ApacheHttpClient.Builder httpClient(HttpProxy proxy) {
        ApacheHttpClient.Builder builder = ApacheHttpClient.builder();
        if (proxy != null) {
            // the front end's proxy is the whole setting: nothing is mixed in from the agent's environment
            ProxyConfiguration.Builder p = ProxyConfiguration.builder()
                    .endpoint(URI.create("http://" + (proxy.host().contains(":") ? "[" + proxy.host() + "]"
                            : proxy.host()) + ":" + proxy.port()))
                    .nonProxyHosts(Set.copyOf(proxy.nonProxyHosts()))
                    .useSystemPropertyValues(false)
                    .useEnvironmentVariableValues(false);
            if (proxy.username() != null) {
                p.username(proxy.username()).password(proxy.password());
            }
            builder.proxyConfiguration(p.build());
        }
        return builder;
    }

    /** The role's temporary credentials; a failure to get them names the role and what to check. */
    private static final class AssumedRole implements AwsCredentialsProvider, SdkAutoCloseable {
        private final CloudFrontSettings settings;
        private final StsAssumeRoleCredentialsProvider sts;

        AssumedRole(CloudFrontSettings settings, StsAssumeRoleCredentialsProvider sts) {
            this.settings = settings;
            this.sts = sts;
        }

        @Override
        public AwsCredentials resolveCredentials() {
            try {
                return sts.resolveCredentials();
            } catch (SdkException e) {
                // thrown while a CloudFront request is signed: it reaches the caller as is, before anything is sent
                throw assumeRoleFailed(settings, e);
            }
        }

        @Override
        public void close() {
            sts.close();
        }

        @Override
        public String toString() {
            return sts.toString();
        }
    }

    /** STS's refusal says neither which role nor what to change; the base credentials' failures land here too. */
    private static DeployException assumeRoleFailed(CloudFrontSettings s, SdkException e) {
        String role = "cannot assume the role " + s.roleArn() + " for CloudFront";
        Vocabulary words = s.vocabulary();
        if (e instanceof AwsServiceException se && se.awsErrorDetails() != null) {
            String externalId = words.name(Vocabulary.Setting.EXTERNAL_ID);
            return new DeployException(role + ": STS answered " + se.awsErrorDetails().errorCode() + " ("
                    + se.awsErrorDetails().errorMessage() + ", HTTP " + se.statusCode() + "); check "
                    + words.name(Vocabulary.Setting.ROLE_ARN) + ", that the role's trust policy lets the base"
                    + " credentials (" + words.awsCredentialSources() + ") call sts:AssumeRole, and "
                    + (s.externalId() != null ? "that " + externalId + " is the one it asks for"
                            : words.offers(Vocabulary.Setting.EXTERNAL_ID) ? "whether it asks for an " + externalId
                            : "whether it asks for an external ID (give the role and its external ID in the AWS"
                                    + " credentials instead)"), e);
        }
        return new DeployException(role + ": " + e.getMessage() + " (check the network, and that the base AWS"
                + " credentials are configured: " + words.awsCredentialSources() + ")", e);
    }

    private static URI endpoint(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new URISyntaxException(url, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new DeployException("the endpoint URL '" + url + "' is not valid: give an http(s) URL such as"
                    + " http://127.0.0.1:4566");
        }
    }
}
