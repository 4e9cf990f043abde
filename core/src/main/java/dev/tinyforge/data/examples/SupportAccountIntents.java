package dev.tinyforge.data.examples;

import static dev.tinyforge.data.examples.NimbusFacts.say;

import dev.tinyforge.data.examples.NimbusFacts.Device;
import dev.tinyforge.data.examples.NimbusFacts.Kind;
import dev.tinyforge.data.examples.NimbusFacts.Plan;

/** Support questions about the account: signing in, security, billing and leaving. */
final class SupportAccountIntents {
    private SupportAccountIntents() {}

    static Sample passwordReset(Dice d) {
        Device device = d.chance(0.6) ? d.pick(NimbusFacts.DEVICES) : null;
        String on = device == null ? "" : " " + device.phrase();
        String q = d.pick("I forgot my password" + on + ".", "How do I reset my password" + on + "?",
                "I can't log in" + on + ", I forgot the password.", "Locked out" + on + ", forgot my password. What now?",
                "How can I recover my password" + on + "?");
        String where = device == null ? "On any Nimbus sign-in screen (app or web)"
                : device.kind() == Kind.WEB ? "On the sign-in page at app.nimbusnotes.example"
                : "On the sign-in screen of the " + device.kind().app;
        String tap = device != null && device.kind().mobile ? "tap" : "click";
        String a = where + ", " + tap + " \"Forgot password?\" and enter your account email. We'll send a reset link that works "
                + "for 1 hour. If it doesn't arrive within 5 minutes, check your spam folder and make sure it's the address you signed up with.";
        return new Sample(q, a);
    }

    static Sample changePassword(Dice d) {
        Device device = d.pick(NimbusFacts.DEVICES);
        boolean named = d.chance(0.6);
        String on = named ? " " + device.phrase() : "";
        String q = d.pick("How do I change my password" + on + "?", "Where can I update my password" + on + "?",
                "I want a new password" + on + ", how?");
        String start = named ? Records.capitalize(device.kind().settings) + ", then go to" : "Open Settings and go to";
        return new Sample(q, start + " Security > Change password. Enter your current password and the new one; your other "
                + "devices are signed out and will ask for the new password.");
    }

    static Sample changeEmail(Dice d) {
        String q = d.pick("How do I change the email on my account?", "Can I switch my login email to a new address?",
                "I have a new work email, how do I update it in Nimbus?", "How do I change my sign-in email?");
        return new Sample(q, "Go to Settings > Account > Email, enter the new address and your password. We send a confirmation "
                + "link to the new address; the change applies once you click it, on all your devices.");
    }

    static Sample twoFactor(Dice d) {
        return switch (d.between(0, 4)) {
            case 0 -> new Sample(d.pick("How do I turn on 2FA?", "How do I enable two-factor authentication?",
                    "Can I add two-step verification to my account?", "How do I set up 2FA?"),
                    "Go to Settings > Security > Two-factor authentication and click Turn on. Scan the QR code with an "
                            + "authenticator app (or register a security key), enter the code, and save your 10 backup codes somewhere safe.");
            case 1 -> {
                String app = d.pick("Google Authenticator", "Authy", "1Password", "Microsoft Authenticator", "Aegis");
                yield new Sample(d.pick("Can I use " + app + " for 2FA?", "Does 2FA work with " + app + "?", "Is " + app + " supported for two-factor?"),
                        "Yes, " + app + " works: any TOTP authenticator app does. Go to Settings > Security > Two-factor "
                                + "authentication > Authenticator app and scan the QR code.");
            }
            case 2 -> new Sample(d.pick("Can I use a YubiKey?", "Do you support hardware security keys for 2FA?", "Can I use a security key to sign in?"),
                    "Yes. Go to Settings > Security > Two-factor authentication > Security key, then insert or tap your key. "
                            + "Keys work in the desktop and web apps, and on phones over NFC or USB-C.");
            case 3 -> new Sample(d.pick("Can you text me the 2FA codes?", "Do you support SMS for two-factor?", "Can I get my 2FA code by email?"),
                    "No. We don't send codes by SMS or email because those are easy to intercept. Use an authenticator app "
                            + "or a security key instead (Settings > Security > Two-factor authentication).");
            default -> new Sample(d.pick("I lost my phone with my authenticator app, how do I log in?",
                    "My phone broke and I can't get my 2FA code.", "I got a new phone and lost my 2FA codes. Help?"),
                    "Sign in with one of your 10 backup codes instead of a 2FA code, then set up 2FA again under Settings > Security. "
                            + "If you have no backup codes, email support@nimbusnotes.example from your account address; "
                            + "verifying your identity takes 3 to 5 business days.");
        };
    }

    static Sample cancel(Dice d) {
        Plan plan = d.pick(NimbusFacts.PAID);
        String p = say(d, plan);
        if (plan == NimbusFacts.TEAM) {
            return new Sample(d.pick("How do we cancel our " + p + "?", "How do I cancel " + p + " for my company?", "We want to stop paying for " + p + ". How?"),
                    "Only the workspace owner can cancel Team: Admin console > Billing > Cancel plan. Members keep access until "
                            + "the end of the paid period; then the workspace is read-only for 30 days so everyone can export.");
        }
        int channel = d.between(0, 3);
        String via = switch (channel) {
            case 0 -> d.pick(" I signed up on your website.", " I paid on nimbusnotes.example.");
            case 1 -> d.pick(" I subscribed through the App Store.", " I bought it on my iPhone.");
            case 2 -> d.pick(" I subscribed on Google Play.", " I bought it in the Android app.");
            default -> "";
        };
        String q = d.pick("How do I cancel " + p + "?", "I want to cancel my " + plan.name() + " subscription.",
                "How do I stop " + p + " from renewing?") + via;
        String keep = "You keep " + plan.name() + " until the end of the period you've paid for; then your account moves to Free and all your notes stay.";
        String a = switch (channel) {
            case 0 -> "Go to Settings > Account > Subscription and click Cancel subscription. " + keep;
            case 1 -> "App Store subscriptions are managed by Apple: on your iPhone open Settings > your name > Subscriptions > "
                    + "Nimbus Notes > Cancel Subscription. " + keep;
            case 2 -> "Google Play subscriptions are managed by Google: in the Play Store tap your profile > Payments & subscriptions > "
                    + "Subscriptions > Nimbus Notes > Cancel. " + keep;
            default -> "If you subscribed on our website, go to Settings > Account > Subscription > Cancel subscription; if you "
                    + "subscribed in the iPhone or Android app, cancel it in the App Store or Google Play subscriptions page. " + keep;
        };
        return new Sample(q, a);
    }

    static Sample refund(Dice d) {
        Plan plan = d.pick(NimbusFacts.PLUS, NimbusFacts.PRO);
        int period = d.between(0, 2); // 0 monthly, 1 yearly, 2 not said
        int channel = d.between(0, 3); // 0 website, 1 App Store, 2 Google Play, 3 not said
        Integer days = period == 1 && channel != 1 && channel != 2 && d.chance(0.7) ? d.pick(2, 3, 5, 9, 12, 20, 30, 45) : null;
        String what = switch (period) {
            case 0 -> "my monthly " + plan.name() + " plan";
            case 1 -> "my annual " + plan.name() + " plan";
            default -> plan.name();
        };
        String q = d.pick("Can I get a refund for " + what + "?", "I'd like a refund for " + what + ".", "Is " + what + " refundable?")
                + (days == null ? "" : " I bought it " + days + " days ago.")
                + switch (channel) {
                    case 0 -> " I paid on your website.";
                    case 1 -> " It was through the App Store.";
                    case 2 -> " I paid through Google Play.";
                    default -> "";
                };
        String a;
        if (channel == 1 || channel == 2) {
            String store = channel == 1 ? "Apple" : "Google";
            a = "Purchases made through " + (channel == 1 ? "the App Store" : "Google Play") + " are refunded by " + store
                    + ", not by us: request it from " + (channel == 1 ? "reportaproblem.apple.com" : "your Google Play order history")
                    + ". " + store + " decides under its own policy.";
        } else {
            a = switch (period) {
                case 0 -> "Monthly plans aren't refunded, including partial months. Cancel under Settings > Account > Subscription "
                        + "and you keep " + plan.name() + " until the end of the current month.";
                case 1 -> days == null
                        ? "Annual plans bought on our website get a full refund within 14 days of purchase: Settings > Account > "
                                + "Billing > Request refund. After 14 days you can still cancel so it doesn't renew."
                        : days <= 14
                        ? "Yes. Annual plans get a full refund within 14 days of purchase, so yours qualifies: go to Settings > "
                                + "Account > Billing > Request refund. Your account moves back to Free right away."
                        : "Annual plans are refundable only within 14 days of purchase, so this one isn't, sorry. You can cancel "
                                + "under Settings > Account > Subscription so it doesn't renew, and keep " + plan.name()
                                + " until the year you paid for ends.";
                default -> "Annual plans bought on our website get a full refund within 14 days of purchase (Settings > Account > "
                        + "Billing > Request refund); monthly plans aren't refunded, but you keep access until the month ends after cancelling.";
            };
            if (channel == 3) a += " If you subscribed through the App Store or Google Play, ask Apple or Google for the refund instead.";
        }
        return new Sample(q, a);
    }

    static Sample deleteAccount(Dice d) {
        if (d.chance(0.25)) {
            return new Sample(d.pick("Can I recover a deleted account?", "I deleted my account by mistake, can I get it back?",
                    "Is it possible to undo deleting my account?"),
                    "Yes, within 30 days: sign in again and confirm you want to keep the account, and everything comes back. "
                            + "After 30 days the data is erased for good and can't be recovered.");
        }
        return new Sample(d.pick("How do I delete my account?", "Please delete my Nimbus account and all my data.",
                "How can I permanently remove my data?", "I want to close my account for good.", "How do I erase my Nimbus account?"),
                "Go to Settings > Account > Delete account and confirm with your password. The account is deactivated at once and "
                        + "erased for good after 30 days; signing in during that time cancels the deletion. Export your notes first "
                        + "(Settings > Account > Export all data), and cancel any App Store or Google Play subscription separately, "
                        + "since deleting the account doesn't stop it.");
    }

    static Sample discounts(Dice d) {
        return switch (d.between(0, 2)) {
            case 0 -> new Sample(d.pick("Do you have a student discount?", "Is there a discount for students?", "I'm a student, is Nimbus cheaper for me?"),
                    "Yes: students get 50% off the yearly Plus and Pro plans. Sign up with your school email at "
                            + "nimbusnotes.example/education; verification takes about a day.");
            case 1 -> new Sample(d.pick("Are there discounts for teachers?", "I'm a teacher, do you offer an education discount?"),
                    "Yes: teachers get the same 50% off the yearly Plus and Pro plans as students. Apply with your school email at "
                            + "nimbusnotes.example/education; verification takes about a day.");
            default -> new Sample(d.pick("Do you offer nonprofit pricing?", "We're a charity, is there a discount on Team?"),
                    "Yes: registered nonprofits get Team at 50% off. Apply at nimbusnotes.example/nonprofit with proof of your "
                            + "nonprofit status; we reply within 3 business days.");
        };
    }

    static Sample contact(Dice d) {
        Plan plan = d.chance(0.5) ? d.pick(NimbusFacts.PLANS) : null;
        String q = plan == null
                ? d.pick("How can I reach a human?", "How do I contact support?", "What's your support email?", "When is support available?")
                : d.pick("How fast does support answer on " + say(d, plan) + "?", "I'm on " + plan.name() + ", how do I contact support?");
        String times = "We answer within one business day on Free and Plus, and within 4 hours on Pro and Team (Monday to Friday, 8:00-18:00 CET).";
        if (plan != null) {
            times = "On " + plan.name() + " we answer within " + (plan.rank() >= 2 ? "4 hours" : "one business day")
                    + " (Monday to Friday, 8:00-18:00 CET).";
        }
        return new Sample(q, "Email support@nimbusnotes.example or use Help > Contact support in the app. " + times);
    }
}
