using System;
using System.Collections;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;

namespace ExoConnectRunner.Native
{
    /// <summary>
    /// The parameters of Connect-ExchangeOnline or Connect-IPPSSession for one connection and its
    /// credentials (Connect.ps1's New-ConnectParameter), as the runner's JSON reader made them.
    /// https://learn.microsoft.com/powershell/module/exchange/connect-exchangeonline
    /// </summary>
    public static class ConnectParameters
    {
        // X509KeyStorageFlags.EphemeralKeySet, which .NET Framework 4.7.2 and .NET Core 2.0 have and
        // netstandard2.0 does not name.
        // https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.x509keystorageflags
        private const X509KeyStorageFlags EphemeralKeySet = (X509KeyStorageFlags)32;

        // Optional connection fields, by the parameter each sets when it has a value.
        private static readonly string[,] Optional =
        {
            { "connectionUri", "ConnectionUri" },
            { "authorizationEndpointUri", "AzureADAuthorizationEndpointUri" },
            { "organization", "Organization" },
            { "delegatedOrganization", "DelegatedOrganization" },
            { "prefix", "Prefix" },
        };

        /// <summary>A table to splat; throws for a credential kind this runner does not handle.</summary>
        public static Hashtable For(object connection, object credentials)
        {
            var parameters = new Hashtable(StringComparer.OrdinalIgnoreCase);
            parameters["ShowBanner"] = false;
            if (string.Equals(Text(connection, "target"), "exchange-online", StringComparison.OrdinalIgnoreCase))
            {
                parameters["ExchangeEnvironmentName"] = PSValue.Field(connection, "environment");
                parameters["ShowProgress"] = false;
            }
            for (int i = 0; i < Optional.GetLength(0); i++)
            {
                object value = PSValue.Field(connection, Optional[i, 0]);
                if (LanguagePrimitives.IsTrue(value)) parameters[Optional[i, 1]] = value;
            }
            object commandNames = PSValue.Field(connection, "commandNames");
            if (LanguagePrimitives.IsTrue(commandNames)) parameters["CommandName"] = LanguagePrimitives.ConvertTo<string[]>(commandNames);

            // Compared without case, as PowerShell's switch compares.
            string kind = Text(credentials, "kind");
            switch (kind == null ? null : kind.ToLowerInvariant())
            {
                case "certificate":
                    byte[] bytes = Convert.FromBase64String(Text(credentials, "pfxBase64") ?? string.Empty);
                    try
                    {
                        // EphemeralKeySet keeps the private key in memory: no key file, no store.
                        // macOS does not support ephemeral keys; there the default set is used.
                        X509KeyStorageFlags flags = RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? X509KeyStorageFlags.DefaultKeySet : EphemeralKeySet;
                        parameters["Certificate"] = new X509Certificate2(bytes, Text(credentials, "password") ?? string.Empty, flags);
                    }
                    finally
                    {
                        Array.Clear(bytes, 0, bytes.Length);
                    }
                    parameters["AppId"] = PSValue.Field(credentials, "clientId");
                    break;
                case "certificate-thumbprint":
                    parameters["CertificateThumbprint"] = PSValue.Field(credentials, "thumbprint");
                    parameters["AppId"] = PSValue.Field(credentials, "clientId");
                    break;
                case "access-token":
                    parameters["AccessToken"] = PSValue.Field(credentials, "token");
                    break;
                case "managed-identity":
                    parameters["ManagedIdentity"] = true;
                    object accountId = PSValue.Field(credentials, "accountId");
                    if (LanguagePrimitives.IsTrue(accountId)) parameters["ManagedIdentityAccountId"] = accountId;
                    break;
                default:
                    throw new InvalidOperationException("Authentication '" + kind + "' is not handled by this runner.");
            }
            return parameters;
        }


        private static string Text(object value, string name)
        {
            object field = PSValue.Field(value, name);
            return field == null ? null : LanguagePrimitives.ConvertTo<string>(field);
        }
    }
}
