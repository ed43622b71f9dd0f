package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import java.io.Serializable;

/**
 * How to reach CloudFront and as whom. Nothing set means the SDK's default chain (environment, profile, web identity,
 * container or instance role) and the real endpoint, or {@code AWS_ENDPOINT_URL_CLOUDFRONT} / {@code AWS_ENDPOINT_URL}.
 *
 * @param profile a named profile of the shared AWS config files, or {@code null}
 * @param accessKeyId explicit keys (e.g. resolved by Jenkins from a credentials id), or {@code null}
 * @param secretAccessKey never printed: {@link #toString()} leaves it out
 * @param sessionToken for temporary explicit keys, or {@code null}
 * @param roleArn a role to assume through STS with the credentials above, or {@code null}
 * @param externalId the external id the role's trust policy asks for, or {@code null}
 * @param endpointUrl another endpoint (tests, compatible services), or {@code null}
 * @param proxy the HTTP proxy for CloudFront and STS, or {@code null}: the SDK's own ({@code HTTPS_PROXY},
 *     {@code https.proxyHost})
 * @param vocabulary how the front end names the options, for the messages ({@link Vocabulary#CLI} when {@code null})
 */
public record CloudFrontSettings(String profile, String accessKeyId, String secretAccessKey, String sessionToken,
        String roleArn, String externalId, String endpointUrl, HttpProxy proxy, Vocabulary vocabulary)
        implements Serializable {
    public static final CloudFrontSettings DEFAULT = new CloudFrontSettings(null, null, null, null, null, null, null);

    public CloudFrontSettings {
        vocabulary = vocabulary != null ? vocabulary : Vocabulary.CLI;
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new DeployException("an AWS access key id needs its"
                    + " secret access key and the other way round: give both, or neither for the default chain");
        }
        if (externalId != null && roleArn == null) {
            throw new DeployException(vocabulary.name(Vocabulary.Setting.EXTERNAL_ID) + " is only used with "
                    + vocabulary.name(Vocabulary.Setting.ROLE_ARN) + ": give the role to assume");
        }
    }

    /** Settings without a proxy, whose messages speak the command line's words. */
    public CloudFrontSettings(String profile, String accessKeyId, String secretAccessKey, String sessionToken,
            String roleArn, String externalId, String endpointUrl) {
        this(profile, accessKeyId, secretAccessKey, sessionToken, roleArn, externalId, endpointUrl, null, null);
    }

    public CloudFrontSettings withProxy(HttpProxy other) {
        return new CloudFrontSettings(profile, accessKeyId, secretAccessKey, sessionToken, roleArn, externalId,
                endpointUrl, other, vocabulary);
    }

    public CloudFrontSettings withVocabulary(Vocabulary other) {
        return new CloudFrontSettings(profile, accessKeyId, secretAccessKey, sessionToken, roleArn, externalId,
                endpointUrl, proxy, other);
    }

    @Override
    public String toString() {
        return "CloudFrontSettings[profile=" + profile + ", accessKeyId=" + accessKeyId
                + ", secretAccessKey=" + (secretAccessKey == null ? null : "****")
                + ", sessionToken=" + (sessionToken == null ? null : "****") + ", roleArn=" + roleArn
                + ", externalId=" + externalId + ", endpointUrl=" + endpointUrl + ", proxy=" + proxy + "]";
    }
}
